export * from './in-process/index.ts';
