export { SimNetwork, type HopOptions } from './sim-network.ts';
export { SimLinks } from './sim-links.ts';
export { SimBroker, BROKER_HOST, type BrokerOptions } from './sim-broker.ts';
export { SimDurableTransport } from './sim-durable-transport.ts';
export { SimLocalTransport } from './sim-local-transport.ts';
export { BREAKAGES, type Breakage, type DurableOptions } from './sim-node-context.ts';
