import { realClock, type Clock } from './clock.ts';
import { realRandom, type Random } from './random.ts';
import { realNetwork } from './real-network.ts';
import type { Network } from './network.ts';

export * from './clock.ts';
export * from './virtual-clock.ts';
export * from './random.ts';
export * from './network.ts';
export { realNetwork } from './real-network.ts';

/** Everything nondeterministic the system and its actors may touch. */
export interface Ports {
  clock: Clock;
  random: Random;
  network: Network;
}

export function realPorts(overrides: Partial<Ports> = {}): Ports {
  return { clock: realClock, random: realRandom(), network: realNetwork, ...overrides };
}
export { TimerQueue } from './timer-queue.ts';
