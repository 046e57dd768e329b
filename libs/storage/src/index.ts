export * from './chunk';
export * from './s3.storage';
export * from './storage.module';
export * from './storage-keys';
