export * from './image.processor';
export * from './media.options';
export * from './media.processor';
export * from './process.runner';
export * from './sniff';
export * from './video.probe';
export * from './video.processor';
