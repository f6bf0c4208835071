/**
 * A bucket's id and its hash. The id is its creation time in whole seconds and a sequence number
 * for buckets created in the same second: 6 bytes, `seconds` u32 big-endian then `sequence` u16
 * big-endian. The hash, BLAKE2b-256 (libsodium's crypto_generichash) of the ASCII context string
 * then the 6 id bytes, is all the accepter ever sends: the id, which shows the time, travels once.
 */
import sodium from 'sodium-native';
import { BUCKET_HASH_BYTES, BUCKET_HASH_CONTEXT, BUCKET_ID_BYTES } from '../limits.ts';

export interface BucketId {
  /** Creation time, seconds since the epoch. */
  seconds: number;
  /** 0 for the first bucket opened in that second, 1 for the next, … */
  sequence: number;
}

const CONTEXT = Buffer.from(BUCKET_HASH_CONTEXT, 'ascii');

export function encodeBucketId(id: BucketId): Buffer {
  const bytes = Buffer.alloc(BUCKET_ID_BYTES);
  bytes.writeUInt32BE(id.seconds, 0);
  bytes.writeUInt16BE(id.sequence, 4);
  return bytes;
}

/** The id in 6 bytes, or undefined for any other length. */
export function decodeBucketId(bytes: Uint8Array): BucketId | undefined {
  if (bytes.length !== BUCKET_ID_BYTES) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return { seconds: view.readUInt32BE(0), sequence: view.readUInt16BE(4) };
}

/** The 32-byte hash the accepter asks for the bucket by. */
export function bucketHash(id: BucketId): Buffer {
  const hash = Buffer.alloc(BUCKET_HASH_BYTES);
  sodium.crypto_generichash(hash, Buffer.concat([CONTEXT, encodeBucketId(id)]));
  return hash;
}

/** A hash as 64 lowercase hex characters: how it is passed to the accepter and put in a URL. */
export const hashToHex = (hash: Uint8Array): string => Buffer.from(hash).toString('hex');

/** 64 hex characters as the 32-byte hash, or undefined. */
export function hashFromHex(text: string): Buffer | undefined {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Whether `bytes` can be a bucket hash (the right length; any 32 bytes are a possible hash). */
export const isBucketHash = (bytes: Uint8Array): boolean => bytes.length === BUCKET_HASH_BYTES;
