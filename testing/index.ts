/**
 * `airlock/testing`: tools for the authors of tests against real sockets and brokers (the seeded
 * simulation is `airlock/sim`): a TCP proxy that cuts links on demand, waiting for a condition
 * instead of sleeping, and a free loopback port.
 */
export { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.ts';
export { until, type UntilOptions } from './until.ts';
export { freePort } from './free-port.ts';
