/**
 * The store port: where the server keeps sealed links by bucket hash. It holds ciphertext, the
 * bucket hash, a slot and an expiry time, and nothing else: never a plaintext link, a passphrase
 * or a bucket id (it is never given them). Implementations throw StoreUnavailableError when they
 * cannot answer; the server refuses the request STORE_UNAVAILABLE and carries on.
 */

/** One sealed link in its bucket's slot. */
export interface StoredLink {
  /** The bucket's hash (32 bytes). */
  hash: Uint8Array;
  /** Its place in the bucket, 0..63: the server gives each link the next free one. */
  slot: number;
  /** The sealed link (240 bytes). */
  link: Uint8Array;
  /** When it is gone, in the server's Clock port's milliseconds. */
  expiresAt: number;
}

/** `taken`: that slot is filled already (a bucket of an earlier incarnation); `duplicate`: these very bytes are stored; `full`: the store holds its capacity. */
export type AddResult = 'added' | 'taken' | 'duplicate' | 'full';

export interface BucketStore {
  add(entry: StoredLink): Promise<AddResult>;
  /** The links of the bucket with this hash that live at `now`, in slot order (none for an unknown or expired bucket). */
  links(hash: Uint8Array, now: number): Promise<Buffer[]>;
  /** Deletes what expired by `now`; resolves with how many links went. */
  expire(now: number): Promise<number>;
  /** Links living at `now`. */
  size(now: number): Promise<number>;
}
