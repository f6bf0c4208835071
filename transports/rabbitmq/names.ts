import type { Address } from '../../lib/index.ts';

/**
 * System addresses (a segment starting with `$`, such as `<node>/$control`) carry operator
 * requests: worth acting on only while someone waits for the answer, so they expire.
 */
export function isSystemAddress(address: Address): boolean {
  return address.startsWith('$') || address.includes('/$');
}

/** The queue holding the mailbox of `address` (shared by every member of a pool at that address). */
export function queueName(namespace: string, address: Address): string {
  return `${namespace}:${address}`;
}

/** Where poison and refused messages go, with their reason in headers. */
export function deadLetterQueueName(namespace: string): string {
  return `${namespace}:$dead-letters`;
}

/** Headers a dead-lettered message carries. */
export const DEAD_LETTER_HEADERS = {
  /** The typed error code, e.g. MALFORMED_FRAME, INVALID_MESSAGE, ACTOR_CRASHED. */
  reason: 'x-airlock-reason',
  /** The error's message. */
  error: 'x-airlock-error',
  address: 'x-airlock-address',
  queue: 'x-airlock-queue',
  envelopeId: 'x-airlock-envelope-id',
  attempts: 'x-airlock-attempts',
} as const;
