import { MEMORY_STORE_CAPACITY } from '../limits.ts';
import type { AddResult, BucketStore, StoredLink } from './bucket-store.ts';

interface Slot {
  link: Buffer;
  expiresAt: number;
}

/**
 * The embedded default: buckets in this process's memory, bounded by `capacity` links. It lives
 * as long as the object does, so a server actor that restarts over the same store loses nothing;
 * the process ending loses everything (use the PostgreSQL store to keep buckets across that).
 */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, Map<number, Slot>>();
  private readonly sealed = new Set<string>();

  constructor(private readonly capacity = MEMORY_STORE_CAPACITY) {}

  async add({ hash, slot, link, expiresAt }: StoredLink): Promise<AddResult> {
    const key = Buffer.from(hash).toString('hex');
    const bytes = Buffer.from(link);
    const content = bytes.toString('base64');
    if (this.sealed.has(content)) return 'duplicate';
    const bucket = this.buckets.get(key) ?? new Map<number, Slot>();
    if (bucket.has(slot)) return 'taken';
    if (this.sealed.size >= this.capacity) return 'full';
    bucket.set(slot, { link: bytes, expiresAt });
    this.buckets.set(key, bucket);
    this.sealed.add(content);
    return 'added';
  }

  async links(hash: Uint8Array, now: number): Promise<Buffer[]> {
    const bucket = this.buckets.get(Buffer.from(hash).toString('hex'));
    if (!bucket) return [];
    return [...bucket.entries()]
      .filter(([, slot]) => slot.expiresAt > now)
      .sort(([a], [b]) => a - b)
      .map(([, slot]) => Buffer.from(slot.link));
  }

  async expire(now: number): Promise<number> {
    let gone = 0;
    for (const [key, bucket] of this.buckets) {
      for (const [index, slot] of bucket) {
        if (slot.expiresAt > now) continue;
        bucket.delete(index);
        this.sealed.delete(slot.link.toString('base64'));
        gone += 1;
      }
      if (bucket.size === 0) this.buckets.delete(key);
    }
    return gone;
  }

  async size(now: number): Promise<number> {
    let living = 0;
    for (const bucket of this.buckets.values()) for (const slot of bucket.values()) if (slot.expiresAt > now) living += 1;
    return living;
  }
}
