export * from './handler-registry';
export * from './job-catalogue';
export * from './job-handler.decorator';
export * from './queue.module';
export * from './queue.producer';
export * from './worker-host';
