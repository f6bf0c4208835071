/**
 * The nonces seen recently, bounded in time and count. An entry is kept for twice the
 * freshness window after it arrived: by then its timestamp is stale anyway, so a replay would be
 * refused as stale. Expiry follows arrival order, so pruning takes from the front of the Map.
 */
export class NonceMemory {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly keepMs: number,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.expiries.size;
  }

  has(nonce: string, nowMs: number): boolean {
    this.prune(nowMs);
    return this.expiries.has(nonce);
  }

  /** Remembers a nonce; false when the memory is full of nonces still live (then nothing is added). */
  remember(nonce: string, nowMs: number): boolean {
    this.prune(nowMs);
    if (this.expiries.size >= this.capacity) return false;
    this.expiries.set(nonce, nowMs + this.keepMs);
    return true;
  }

  private prune(nowMs: number): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry > nowMs) return;
      this.expiries.delete(nonce);
    }
  }
}
