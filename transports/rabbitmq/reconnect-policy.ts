import type { Random } from '../../lib/index.ts';

/** Exponential backoff with jitter for reconnects and channel re-opens. */
export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Fraction (0–1) by which each delay is spread up or down, so many nodes don't retry in step. */
  jitter: number;
}

/** The delay before retry number `attempt` (0 first), jittered through the Random port. */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: Random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** attempt);
  const spread = 1 - policy.jitter + 2 * policy.jitter * random.next();
  return Math.round(base * spread);
}
