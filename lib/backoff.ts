import type { Random } from './ports/random.ts';

/** Exponential backoff with jitter: supervisor restarts and broker reconnects both use it. */
export interface BackoffOptions {
  /** Delay before the first attempt; 0 retries at once, every time. */
  minMs: number;
  /** The delay never grows past this (before jitter). */
  maxMs: number;
  /** Growth per further attempt. */
  factor: number;
  /** Spread, as a fraction: 0.2 makes a delay anywhere in ±20 %, so many retries do not stampede. */
  jitter: number;
}

/** The delay before the `attempt`-th (1-based) attempt, with jitter from the Random port. */
export function backoffDelay(options: BackoffOptions, attempt: number, random: Random): number {
  if (options.minMs <= 0) return 0;
  const base = Math.min(options.maxMs, options.minMs * options.factor ** Math.max(0, attempt - 1));
  const spread = options.jitter * (random.next() * 2 - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}
