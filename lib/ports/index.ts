import { realClock, type Clock } from './clock.ts';
import { realRandom, type Random } from './random.ts';
import { realNetwork } from './real-network.ts';
import type { Network } from './network.ts';
import type { Links } from './links.ts';

export * from './clock.ts';
export * from './virtual-clock.ts';
export * from './random.ts';
export * from './network.ts';
export * from './links.ts';
export * from './leases.ts';
export { realNetwork } from './real-network.ts';

/** Everything nondeterministic the system and its actors may touch. */
export interface Ports {
  clock: Clock;
  random: Random;
  network: Network;
  /** AMQP 1.0 links to authenticated peers (real: rhea over mutual TLS, loaded on first use). */
  links: Links;
}

export function realPorts(overrides: Partial<Ports> = {}): Ports {
  return { clock: realClock, random: realRandom(), network: realNetwork, links: lazyAmqp10Links, ...overrides };
}
export { TimerQueue } from './timer-queue.ts';

/**
 * The real `Links`, loaded on first use so a system that never links to another organisation
 * never loads rhea. (The only place `lib` reaches into `transports`: the default must be real.)
 */
export const lazyAmqp10Links: Links = {
  listen: async (options, onSession) => (await loadAmqp10()).listen(options, onSession),
  connect: async (options) => (await loadAmqp10()).connect(options),
};

async function loadAmqp10(): Promise<Links> {
  return (await import('../../transports/amqp10/amqp10-links.ts')).amqp10Links;
}
