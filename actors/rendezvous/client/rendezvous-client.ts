import { realClock, type Clock } from '../../../lib/ports/clock.ts';
import { ConnectionLinkError, RendezvousUnavailableError } from '../errors.ts';
import { bucketHash, decodeBucketId, hashFromHex, hashToHex, type BucketId } from '../wire/bucket-id.ts';
import type { ConnectionLink } from '../wire/connection-link.ts';
import { DEFAULT_STRENGTH, type KdfStrength } from '../wire/passphrase-key.ts';
import { openAny, sealLink } from '../wire/sealed-link.ts';
import { checkBucketId, type BucketTolerance } from './bucket-check.ts';
import type { RendezvousServer } from './server-link.ts';

export interface StoreLinkOptions {
  /** The clock the bucket id's time is checked against (the real one unless given). */
  clock?: Clock;
  /** Argon2id's strength; the accepter must use the same (default: INTERACTIVE). */
  strength?: KdfStrength;
  /** How far the server's bucket id may be from what an honest server hands out. */
  tolerance?: BucketTolerance;
}

/** What the initiator passes to the accepter, besides the server and the passphrase: the bucket's hash. */
export interface Invitation {
  /** 64 hex characters: all the accepter needs to find the bucket. */
  bucketHash: string;
  /** The bucket's id, for the initiator only: it shows when the link was stored, so it is never passed on. */
  bucket: BucketId;
}

/**
 * The initiator's side: seals `link` under `passphrase`, stores it, checks the bucket id the
 * server answered (BucketFingerprintError when it is too far from this client's clock or its
 * sequence number too large: the link is stored, but do not pass on a hash that could single the
 * accepter out), and returns the bucket's hash to pass on. Rejects with ConnectionLinkError,
 * BucketRefusedError or RendezvousUnavailableError too.
 */
export async function storeLink(server: RendezvousServer, link: ConnectionLink, passphrase: string, options: StoreLinkOptions = {}): Promise<Invitation> {
  const sealed = await sealLink(link, passphrase, options.strength ?? DEFAULT_STRENGTH);
  const bucket = decodeBucketId(await server.store(sealed));
  if (!bucket) throw new RendezvousUnavailableError('malformed', 'a bucket id of the wrong length');
  checkBucketId(bucket, (options.clock ?? realClock).now(), options.tolerance);
  return { bucketHash: hashToHex(bucketHash(bucket)), bucket };
}

export interface FoundLink {
  /** The link the passphrase opened; undefined when none did (a wrong passphrase, an expired or unknown bucket). */
  link: ConnectionLink | undefined;
  /** Links in the bucket: the anonymity set this introduction hid in. */
  bucketSize: number;
  /** Argon2id derivations it took. */
  tried: number;
}

/**
 * The accepter's side: asks for the bucket by its hash only, and tries every link in it with the
 * key derived from `passphrase`. Rejects with ConnectionLinkError for a malformed hash or
 * passphrase, BucketRefusedError or RendezvousUnavailableError.
 */
export async function findLink(server: RendezvousServer, hash: string | Uint8Array, passphrase: string, options: { strength?: KdfStrength } = {}): Promise<FoundLink> {
  const bytes = typeof hash === 'string' ? hashFromHex(hash) : hash;
  if (!bytes || bytes.length !== 32) throw new ConnectionLinkError('a bucket hash is 64 hex characters (32 bytes)');
  const links = await server.fetch(bytes);
  const { link, tried } = await openAny(links, passphrase, options.strength ?? DEFAULT_STRENGTH);
  return { link, bucketSize: links.length, tried };
}
