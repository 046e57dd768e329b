export * from './database.module';
export * from './database.service';
export * from './database.types';
export * from './pg-errors';
export * from './repositories/media.repository';
export * from './repositories/snaps.repository';
export * from './keyset';
