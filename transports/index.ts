export * from './in-process/index.ts';
export * from './rabbitmq/index.ts';
export * from './sim/index.ts';
