/** What the nonce memory says of a nonce it is asked to admit. */
export type NonceAdmission = 'fresh' | 'replayed' | 'full';

/**
 * The nonces seen recently, bounded in time and count. An entry is kept for twice the
 * freshness window after it arrived: by then its timestamp is stale anyway, so a replay would be
 * refused as stale. Expiry follows arrival order, so pruning takes from the front of the Map.
 */
export class NonceMemory {
  private readonly expiries = new Map<string, number>();
  /** When the front entry expires: until then pruning has nothing to do and skips the walk. */
  private frontExpiry = Infinity;

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
    this.add(nonce, nowMs);
    return true;
  }

  /**
   * `has` then `remember` in one step, pruning once (the Oracle's path, once per registration):
   * `replayed` when the nonce is live, `full` when nothing could be added, else remembered.
   */
  admit(nonce: string, nowMs: number): NonceAdmission {
    this.prune(nowMs);
    if (this.expiries.has(nonce)) return 'replayed';
    if (this.expiries.size >= this.capacity) return 'full';
    this.add(nonce, nowMs);
    return 'fresh';
  }

  private add(nonce: string, nowMs: number): void {
    if (this.expiries.size === 0) this.frontExpiry = nowMs + this.keepMs;
    this.expiries.set(nonce, nowMs + this.keepMs);
  }

  private prune(nowMs: number): void {
    if (this.frontExpiry > nowMs) return;
    for (const [nonce, expiry] of this.expiries) {
      if (expiry > nowMs) {
        this.frontExpiry = expiry;
        return;
      }
      this.expiries.delete(nonce);
    }
    this.frontExpiry = Infinity;
  }
}
