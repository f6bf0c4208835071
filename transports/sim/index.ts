/**
 * The simulated infrastructure: a seeded scheduler (virtual time), the trace, fault dice, the
 * delivery ledger, and the simulated network, links, broker and transports built on them. The
 * harness in sim/ composes worlds of nodes from these.
 */
export { SimScheduler, type RunOutcome } from './scheduler.ts';
export { Trace, formatEntry, type TraceEntry } from './trace.ts';
export { FaultDice, NO_FAULTS, faultRates, type DelayDistribution, type FaultRates, type FaultRateOptions, type ScheduledFault } from './faults.ts';
export { DeliveryLedger, type Handling, type MessageRecord } from './delivery-ledger.ts';
export { SimNetwork, type HopOptions } from './sim-network.ts';
export { SimLinks, simulatedIdentity } from './sim-links.ts';
export { SimBroker, BROKER_HOST, type BrokerOptions } from './sim-broker.ts';
export { SimDurableTransport } from './sim-durable-transport.ts';
export { SimLocalTransport, type LocalRegistry } from './sim-local-transport.ts';
export { BREAKAGES, type Breakage, type DurableOptions, type NodeIncarnation, type WorldParts } from './sim-node-context.ts';
