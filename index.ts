/** airlock's public API: the core (lib), supervision and topologies, and the transports. */
export * from './lib/index.ts';
export * from './supervisors/index.ts';
export * from './transports/index.ts';
export * from './actors/index.ts';
