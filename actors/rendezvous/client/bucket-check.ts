import { BucketFingerprintError } from '../errors.ts';
import { DEFAULT_MAX_SEQUENCE, DEFAULT_MAX_SKEW_MS } from '../limits.ts';
import type { BucketId } from '../wire/bucket-id.ts';

/** How far a bucket id may be from what an honest server hands out, as this client sees it. */
export interface BucketTolerance {
  /** Largest distance between the id's time and the client's clock (default 5 min). */
  maxSkewMs?: number;
  /** Largest sequence number (default 15: the server's own bound). */
  maxSequence?: number;
}

/**
 * Throws BucketFingerprintError for an id a client must not use: a server that gave each client
 * its own bucket could tell the accepter's fetch apart from everyone else's, so it may only
 * choose among the few buckets the tolerance leaves it (ids within ±maxSkewMs, sequence ≤ maxSequence).
 */
export function checkBucketId(id: BucketId, nowMs: number, tolerance: BucketTolerance = {}): void {
  const maxSkewMs = tolerance.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const maxSequence = tolerance.maxSequence ?? DEFAULT_MAX_SEQUENCE;
  // The id holds whole seconds: the bucket opened somewhere in [seconds, seconds + 1).
  const skew = Math.max(id.seconds * 1000 - nowMs, nowMs - (id.seconds * 1000 + 999), 0);
  if (skew > maxSkewMs) throw new BucketFingerprintError('skew', id, `its time is ${Math.round(skew / 1000)} s from this client's clock (tolerance ${maxSkewMs / 1000} s)`);
  if (id.sequence > maxSequence) throw new BucketFingerprintError('sequence', id, `its sequence number ${id.sequence} is above ${maxSequence}`);
}
