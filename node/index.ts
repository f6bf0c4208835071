/**
 * The composition root's face: the topology value, `run()` (which wires supervision trees to
 * transports on one system), and the control plane every node answers on. The `airlock` command
 * and the simulation build nodes through it.
 */
export * from './topology.ts';
export * from './run.ts';
export * from './control-plane/index.ts';
