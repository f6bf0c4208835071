import type { Random } from '../../lib/index.ts';

/** How long one hop takes: uniform in [minMs, maxMs], or exponential with a mean, capped. */
export type DelayDistribution =
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number; maxMs: number };

/** Faults drawn per message from the seed, while the world is not yet calm. */
export interface FaultRates {
  /** A hop (publish, confirm, delivery, ack, datagram) is lost. */
  drop: number;
  /** A publish arrives twice. */
  duplicate: number;
  /** A hop overtakes the ones queued before it on its link. */
  reorder: number;
  /** A handler crashes (throws) instead of handling the message; only actors wrapped by `crashable`. */
  actorCrash: number;
  delay: DelayDistribution;
}

export const NO_FAULTS: FaultRates = { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } };

/** Fault rates as a scenario writes them: each left out is 0 (and the delay 1 ms). */
export type FaultRateOptions = Partial<FaultRates>;

export function faultRates(options: FaultRateOptions = {}): FaultRates {
  return { ...NO_FAULTS, ...definedOnly(options) };
}

/** `{ drop: undefined }` means "not given", as it does when the key is absent. */
function definedOnly(options: FaultRateOptions): FaultRateOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** Faults at a chosen virtual time (chosen by the scenario, usually from `world.faultRandom`). */
export type ScheduledFault =
  | { at: number; kind: 'partition'; sides: [readonly string[], readonly string[]] }
  | { at: number; kind: 'heal' }
  | { at: number; kind: 'crash-actor'; node: string; address: string }
  | { at: number; kind: 'crash-node'; node: string; restartAfterMs: number }
  | { at: number; kind: 'crash-broker'; restartAfterMs: number };

/**
 * Draws the per-message faults from their own seeded stream (so they never perturb the ids the
 * systems draw) and switches them off once the world is calm: after `calmAt` nothing new breaks,
 * and the invariants demand that everything pending completes within a bound.
 */
export class FaultDice {
  calm = false;

  private readonly rates: FaultRates;

  constructor(
    private readonly random: Random,
    rates: FaultRateOptions,
  ) {
    this.rates = faultRates(rates);
  }

  private roll(probability: number): boolean {
    if (this.calm || probability <= 0) return false;
    return this.random.next() < probability;
  }

  drop(): boolean {
    return this.roll(this.rates.drop);
  }

  duplicate(): boolean {
    return this.roll(this.rates.duplicate);
  }

  reorder(): boolean {
    return this.roll(this.rates.reorder);
  }

  actorCrash(): boolean {
    return this.roll(this.rates.actorCrash);
  }

  /** A hop's delay in whole virtual ms (whole ms keep simultaneous events, and seeded ties, common). */
  delay(): number {
    const delay = this.rates.delay;
    if (delay.kind === 'uniform') return delay.minMs + this.random.int(delay.maxMs - delay.minMs + 1);
    const drawn = -Math.log(1 - this.random.next()) * delay.meanMs;
    return Math.min(delay.maxMs, Math.max(1, Math.round(drawn)));
  }
}
