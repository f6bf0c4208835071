import type { Address } from './address.ts';
import type { Envelope } from './envelope.ts';

/**
 * What an at-least-once transport asks before it hands a delivery to its handler: was this
 * envelope id handled already? Two shapes, one port:
 *
 * - a **memory** (`DedupeWindow`, the default) answers at once, so the hot path stays
 *   synchronous: `has` before the handler, `add` after it. It forgets what it held when the
 *   process dies, so a message handled just before a `kill -9` is handled again.
 * - a **durable** store (`PgDedupeStore` in airlock/postgres) answers asynchronously and
 *   remembers across a crash: `claim` before the handler, then the claim's `commit` once the
 *   handler finished, and only then is the delivery acknowledged.
 *
 * Asynchronous only where it must be: a transport checks `'claim' in store` once per mailbox,
 * so a memory costs what it always did.
 */
export type DedupeStore = DedupeMemory | DurableDedupe;

/** The synchronous shape: answers at once, forgets with its process. */
export interface DedupeMemory {
  has(id: string): boolean;
  /** Records `id`, once its handler finished. */
  add(id: string): unknown;
}

/** The asynchronous shape: a durable record of the ids handled, shared across processes. */
export interface DurableDedupe {
  /**
   * Claims `envelope` for one handling at `address`: undefined when its id was handled before
   * (the delivery is acknowledged and dropped). Rejects when the store cannot answer: the
   * delivery is then neither handled nor acknowledged, and is claimed again later.
   */
  claim(address: Address, envelope: Envelope): Promise<DedupeClaim | undefined>;
  /**
   * How many claims one mailbox may hold unsettled at once (1 when absent): claims are still made
   * one after the other and handed over in order; more than one lets the next claim's round trips
   * overlap the handling of the one before. Each may hold a connection of the store's.
   */
  readonly claimsAtOnce?: number;
}

/** One handling in progress, claimed from a durable store. */
export interface DedupeClaim {
  /**
   * The handler finished: the id is recorded for good. Only after this resolves is the delivery
   * acknowledged; when it rejects, the delivery is claimed (and, unless recorded after all, handled) again.
   */
  commit(): Promise<void>;
  /** The handler did not finish (it crashed, or its actor stopped): the claim is given up, never throws. */
  release(): Promise<void>;
  /**
   * Whether the handler's failure was this claim's store going away (its transaction's connection
   * lost): the message is then delivered again once the store is back, not dead-lettered as a crash.
   */
  lostWith?(error: Error): boolean;
}

export function isDurableDedupe(store: DedupeStore): store is DurableDedupe {
  return 'claim' in store;
}
