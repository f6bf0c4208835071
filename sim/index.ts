/**
 * `airlock/sim`: the simulation harness. A seeded world of nodes over the simulated network and
 * broker (transports/sim), faults, invariants checked after every run, scenarios and their trace.
 */
export { SimScheduler, type RunOutcome } from '../transports/sim/scheduler.ts';
export { Trace, formatEntry, type TraceEntry } from '../transports/sim/trace.ts';
export { FaultDice, NO_FAULTS, faultRates, type DelayDistribution, type FaultRates, type FaultRateOptions, type ScheduledFault } from '../transports/sim/faults.ts';
export { DeliveryLedger, type Handling, type MessageRecord } from '../transports/sim/delivery-ledger.ts';
export { SimWorld, SimNode, DEFAULT_WORLD, type NodeStart, type TransportMode, type WatchedTree, type WorldOptions, type LifecycleRecord } from './world.ts';
export * from './invariants.ts';
export * from './scenario.ts';
export * from '../transports/sim/index.ts';
export { startTree } from '../node/index.ts';
export * from './errors.ts';
