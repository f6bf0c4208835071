import { realClock, type Clock } from './clock.ts';
import { realRandom, type Random } from './random.ts';
import { realNetwork } from './real-network.ts';
import type { Network } from './network.ts';
import type { Links } from './links.ts';
import { unpluggedLinks } from './unplugged-links.ts';

export * from './clock.ts';
export * from './virtual-clock.ts';
export * from './random.ts';
export * from './network.ts';
export * from './links.ts';
export { carriesName, namesOf } from './peer-names.ts';
export * from './leases.ts';
export { realNetwork } from './real-network.ts';

/** Everything nondeterministic the system and its actors may touch. */
export interface Ports {
  clock: Clock;
  random: Random;
  network: Network;
  /**
   * AMQP 1.0 links to authenticated peers. `createSystem` and `run` plug in the real one (rhea
   * over mutual TLS, airlock/amqp10, loaded on first use); a bare `ActorSystem` has none.
   */
  links: Links;
}

export function realPorts(overrides: Partial<Ports> = {}): Ports {
  return { clock: realClock, random: realRandom(), network: realNetwork, links: unpluggedLinks, ...overrides };
}
export { TimerQueue } from './timer-queue.ts';
