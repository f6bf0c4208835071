/**
 * Everything the layers share among themselves, for airlock's own specs, fuzz targets and
 * benchmarks (nats.js's `internal_mod.ts`). Users import the root `index.ts` and its subpaths.
 */
export * from './lib/index.ts';
export * from './supervisors/index.ts';
export * from './node/index.ts';
export * from './transports/index.ts';
export * from './transports/amqp10/index.ts';
export * from './sim/index.ts';
