export * from './logger.module';
export * from './metrics.service';
export * from './observability.module';
export * from './metric-keys';
