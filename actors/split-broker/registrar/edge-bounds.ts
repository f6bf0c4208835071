import type { Clock } from '../../../lib/ports/clock.ts';
import { RegistrarMetrics, type RefusalReason } from '../metrics/registrar-metrics.ts';
import type { RegistrarConfig } from './registrar-config.ts';
import { RatePerSource } from '../../../lib/rate-per-source.ts';

/**
 * A registrar's bounds on what it takes in: requests per source address and waits in flight.
 * Every refusal is counted under its reason.
 */
export class EdgeBounds {
  private readonly buckets: RatePerSource;
  private waiting = 0;

  constructor(
    clock: Clock,
    private readonly config: RegistrarConfig,
    readonly metrics: RegistrarMetrics,
  ) {
    this.buckets = new RatePerSource(clock, config.rate);
  }

  /** The bounds of one registration method, counted in the node's registry (a private one if none). */
  static forMethod(clock: Clock, config: RegistrarConfig, method: string): EdgeBounds {
    return new EdgeBounds(clock, config, new RegistrarMetrics(config.metrics, method));
  }

  /** Takes a token for `source`; false (counted) when it sends too fast. */
  admit(source: string): boolean {
    if (this.buckets.take(source)) return true;
    this.refuse('rate-limited');
    return false;
  }

  /** Runs a wait for the broker unless too many are in flight (then undefined, counted as busy). */
  wait<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.waiting >= this.config.maxWaiting) {
      this.refuse('busy');
      return undefined;
    }
    this.metrics.setWaiting(++this.waiting);
    return work().finally(() => this.metrics.setWaiting(--this.waiting));
  }

  refuse(reason: RefusalReason): void {
    this.metrics.refusal(reason);
  }
}
