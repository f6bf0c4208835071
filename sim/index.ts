/**
 * `airlock/sim`: the simulation harness. A seeded world of nodes over the simulated network and
 * broker (transports/sim), faults, invariants checked after every run, scenarios and their trace.
 */
export {
  SimScheduler,
  Trace,
  formatEntry,
  FaultDice,
  NO_FAULTS,
  faultRates,
  DeliveryLedger,
  SimNetwork,
  SimLinks,
  SimBroker,
  BROKER_HOST,
  SimDurableTransport,
  SimLocalTransport,
  BREAKAGES,
  type RunOutcome,
  type TraceEntry,
  type DelayDistribution,
  type FaultRates,
  type FaultRateOptions,
  type ScheduledFault,
  type Handling,
  type MessageRecord,
  type HopOptions,
  type BrokerOptions,
  type Breakage,
  type DurableOptions,
} from '../transports/sim/index.ts';
export { SimWorld, SimNode, DEFAULT_WORLD, type NodeStart, type TransportMode, type WatchedTree, type WorldOptions, type LifecycleRecord } from './world.ts';
export * from './invariants.ts';
export * from './scenario.ts';
export { startTree } from '../node/index.ts';
export * from './errors.ts';
