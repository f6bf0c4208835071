/** The typed errors of the rendezvous design: what a client, a store or a caller of the wire functions may meet. */
import { AirlockError } from '../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../lib/wire-errors.ts';
import type { RefusalCode } from './server/refusals.ts';

/** A connection link or passphrase that cannot be sealed (too long, empty, characters outside the format). */
export class ConnectionLinkError extends AirlockError {
  constructor(readonly reason: string) {
    super('CONNECTION_LINK', `cannot seal this connection link: ${reason}`);
  }
}

/**
 * The server answered a bucket id the client refuses, since a server could otherwise give each
 * client its own bucket and recognise it when the accepter asks for it: its time is further than
 * `maxSkewMs` from the client's clock (`skew`), or its sequence number is above `maxSequence` (`sequence`).
 */
export class BucketFingerprintError extends AirlockError {
  constructor(
    readonly reason: 'skew' | 'sequence',
    readonly bucket: { seconds: number; sequence: number },
    detail: string,
  ) {
    super('BUCKET_FINGERPRINT', `refused the server's bucket ${bucket.seconds}.${bucket.sequence}: ${detail}`);
  }
}

/** The rendezvous server refused the request; `refusal` says why (LINK_SIZE, RATE_LIMITED, STORE_UNAVAILABLE, …). */
export class BucketRefusedError extends AirlockError {
  constructor(
    readonly refusal: RefusalCode,
    readonly operation: 'store' | 'fetch',
  ) {
    super('BUCKET_REFUSED', `the rendezvous server refused ${operation}: ${refusal}`);
  }
}

/** The rendezvous server could not be asked: unreachable, no answer in time, an unexpected status, or an answer that is not the protocol's. */
export class RendezvousUnavailableError extends AirlockError {
  constructor(
    readonly failure: 'network' | 'timeout' | 'status' | 'malformed',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('RENDEZVOUS_UNAVAILABLE', `rendezvous server unavailable (${failure}): ${detail}`, options);
  }
}

/** A bucket store could not do what it was asked (its database unreachable, a query failed or timed out). */
export class StoreUnavailableError extends AirlockError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', `bucket store unavailable: ${detail}`, options);
  }
}

const RENDEZVOUS_ERRORS = defineWireErrors({
  CONNECTION_LINK: ConnectionLinkError,
  BUCKET_FINGERPRINT: BucketFingerprintError,
  BUCKET_REFUSED: BucketRefusedError,
  RENDEZVOUS_UNAVAILABLE: RendezvousUnavailableError,
  STORE_UNAVAILABLE: StoreUnavailableError,
});

declare module '../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof RENDEZVOUS_ERRORS> {}
}
