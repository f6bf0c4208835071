import { BucketRefusedError, RendezvousUnavailableError } from '../errors.ts';
import { BUCKET_ID_BYTES, MAX_LINKS_PER_BUCKET, SEALED_LINK_BYTES } from '../limits.ts';
import { isRefusalCode } from '../server/refusals.ts';

/**
 * A way to reach a rendezvous server: over HTTP (`httpRendezvous`) or as actor messages
 * (`actorRendezvous`). Each rejects with BucketRefusedError (the server's refusal) or
 * RendezvousUnavailableError (it could not be asked, or answered outside the protocol).
 */
export interface RendezvousServer {
  /** Stores a sealed link; resolves with the 6-byte bucket id the server put it in. */
  store(link: Uint8Array): Promise<Uint8Array>;
  /** The sealed links of the bucket with this 32-byte hash (none for an unknown or expired one). */
  fetch(hash: Uint8Array): Promise<Uint8Array[]>;
}

/** A refusal, as a typed error; any other word is the server speaking outside the protocol. */
export function refusalError(code: string, operation: 'store' | 'fetch'): BucketRefusedError | RendezvousUnavailableError {
  return isRefusalCode(code) ? new BucketRefusedError(code, operation) : new RendezvousUnavailableError('malformed', `unknown refusal ${JSON.stringify(code.slice(0, 40))}`);
}

/** The bucket id in a store answer, checked for its length. */
export function bucketIdFrom(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== BUCKET_ID_BYTES) throw new RendezvousUnavailableError('malformed', `a bucket id of ${bytes.length} bytes`);
  return bytes;
}

/** The links in a fetch answer: whole sealed links, at most a bucket's worth. */
export function linksFrom(body: Uint8Array): Uint8Array[] {
  if (body.length % SEALED_LINK_BYTES !== 0 || body.length > MAX_LINKS_PER_BUCKET * SEALED_LINK_BYTES) {
    throw new RendezvousUnavailableError('malformed', `a bucket of ${body.length} bytes (not whole links of ${SEALED_LINK_BYTES}, or over ${MAX_LINKS_PER_BUCKET})`);
  }
  const links: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += SEALED_LINK_BYTES) links.push(body.subarray(at, at + SEALED_LINK_BYTES));
  return links;
}
