export * from './client';
export * from './errors';
export * from './events';
export * from './realtime';
export * from './session';
export * from './types';
export * from './uploads';
export type { FetchLike } from './http';
export type { components, operations, paths } from './generated/openapi';
