import type { Random } from '../lib/index.ts';

export interface BackoffOptions {
  /** Delay before the first restart of a burst; 0 restarts at once. */
  minMs: number;
  /** The delay never grows past this. */
  maxMs: number;
  /** Growth per further restart within the intensity window. */
  factor: number;
  /** Spread, as a fraction: 0.2 makes a delay anywhere in ±20 %, so restarts do not stampede. */
  jitter: number;
}

/** The delay before the `attempt`-th (1-based) restart of a burst, with jitter from the Random port. */
export function backoffDelay(options: BackoffOptions, attempt: number, random: Random): number {
  if (options.minMs <= 0) return 0;
  const base = Math.min(options.maxMs, options.minMs * options.factor ** Math.max(0, attempt - 1));
  const spread = options.jitter * (random.next() * 2 - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}
