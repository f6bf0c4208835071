/**
 * Units of a network row run on a few connections at once: a unit mostly waits (a TLS handshake,
 * loop turns for the answer), so while one waits another runs. Unit i runs on lane i mod the
 * count, after that lane's previous unit, so which units share a connection depends on the seed
 * alone, never on timing.
 */
export class Lanes {
  private readonly tails: Promise<void>[];
  private next = 0;

  constructor(readonly count: number) {
    this.tails = Array.from({ length: count }, () => Promise.resolve());
  }

  /** Starts `unit` on its lane once the lane is free; resolves as it starts (a failure surfaces at the lane's next unit or `settle`). */
  async run(unit: (lane: number) => Promise<void>): Promise<void> {
    const lane = this.next++ % this.count;
    await this.tails[lane];
    this.tails[lane] = unit(lane);
  }

  /** Every unit started has ended. */
  async settle(): Promise<void> {
    await Promise.all(this.tails);
  }
}

/** Lanes per AMQP row: enough to fill what one unit leaves idle on a 2-core machine, few enough that answer times stay a unit's own. */
export const AMQP_LANES = 4;
