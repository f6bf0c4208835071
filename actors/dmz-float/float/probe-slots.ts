/** One health-check connection the Float holds open. */
export interface ProbeSlot {
  /** Who it counts against (`probeSourceOf`). */
  readonly source: string;
  /** Whether its line came and was answered: it is only finishing, the last to be evicted. */
  answered: boolean;
  /** Ends the connection. */
  close(): void;
}

export interface ProbeSlotLimits {
  /** Connections held at once, over all sources. */
  readonly maxConnections: number;
  /** Connections held at once from one source. */
  readonly maxPerSource: number;
}

/**
 * The health-check connections held open, oldest first. A new connection always gets a slot: when
 * its source holds its share, that source's oldest connection is closed; when all slots are taken,
 * the oldest of all is; either way one that has not sent its line goes before one being answered.
 * So idle connections cannot keep a load balancer's probe out: whoever holds them, the probe, which
 * sends its line at once, is the newest and is answered before it could be evicted.
 */
export class ProbeSlots {
  /** A Set iterates in insertion order: the first is the oldest. */
  private readonly held = new Set<ProbeSlot>();
  private readonly perSource = new Map<string, number>();

  constructor(private readonly limits: ProbeSlotLimits) {}

  get size(): number {
    return this.held.size;
  }

  admit(slot: ProbeSlot): void {
    if ((this.perSource.get(slot.source) ?? 0) >= this.limits.maxPerSource) this.evictOldest((held) => held.source === slot.source);
    else if (this.held.size >= this.limits.maxConnections) this.evictOldest(() => true);
    this.held.add(slot);
    this.perSource.set(slot.source, (this.perSource.get(slot.source) ?? 0) + 1);
  }

  /** Forgets a connection that ended; a second call for it does nothing. */
  release(slot: ProbeSlot): void {
    if (!this.held.delete(slot)) return;
    const left = (this.perSource.get(slot.source) ?? 1) - 1;
    if (left === 0) this.perSource.delete(slot.source);
    else this.perSource.set(slot.source, left);
  }

  private evictOldest(among: (slot: ProbeSlot) => boolean): void {
    let victim: ProbeSlot | undefined;
    for (const slot of this.held) {
      if (!among(slot)) continue;
      if (!slot.answered) {
        victim = slot;
        break;
      }
      victim ??= slot;
    }
    if (!victim) return;
    this.release(victim);
    victim.close();
  }
}
