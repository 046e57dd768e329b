export * from './realtime.events';
export * from './realtime.module';
export * from './realtime.publisher';
