import type { Address } from './address.ts';

export type HeaderValue = string | number | boolean;
export type Headers = Record<string, HeaderValue>;

/** Message kinds beyond the receiver's protocol: replies to asks travel as these. */
export const REPLY_TYPE = '$reply';
export const ERROR_REPLY_TYPE = '$error';

/**
 * One message on its way. In-process it is handed over as this object; whenever it leaves the
 * process it is encoded by the codec, and decoded envelopes are validated before delivery.
 */
export interface Envelope {
  /** Unique per message; the dedupe key on at-least-once transports. */
  readonly id: string;
  readonly to: Address;
  readonly from?: Address;
  /** A message type of the receiver's protocol, or `$reply` / `$error` for answers to asks. */
  readonly type: string;
  readonly body: unknown;
  /** For an ask: the id replies refer to; for a reply: the id of the ask it answers. */
  readonly correlationId?: string;
  /** For an ask: where the reply goes. */
  readonly replyTo?: Address;
  readonly headers?: Headers;
  /**
   * For an ask: how long its asker waits for the answer. Never encoded; a durable transport lets
   * the queued message expire after it, so nothing is left to be handled after its sender was
   * told it failed.
   */
  readonly expiresInMs?: number;
  /** How many times delivery was attempted before (0 on the first). */
  attempt: number;
}
