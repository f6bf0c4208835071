/**
 * Why the server refuses a request: the same word in an actor's reply and, as the body, in an
 * HTTP error response, with the HTTP status it travels under.
 */
export const REFUSALS = {
  /** A sealed link of any length but SEALED_LINK_BYTES. */
  LINK_SIZE: 400,
  /** A sealed link whose version byte is not SEALED_LINK_VERSION. */
  LINK_FORMAT: 400,
  /** A bucket hash that is not BUCKET_HASH_BYTES (64 hex characters over HTTP). */
  HASH_FORMAT: 400,
  /** The same sealed bytes are stored already (a duplicated or replayed request). */
  DUPLICATE: 409,
  /** The source sent more than its rate. */
  RATE_LIMITED: 429,
  /** The server opened MAX_BUCKETS_PER_SECOND buckets this second: try again in a second. */
  BUSY: 503,
  /** The store holds as many links as it may. */
  STORE_FULL: 507,
  /** The store failed or did not answer in time (its database unreachable). */
  STORE_UNAVAILABLE: 503,
  /** The HTTP endpoint could not reach the server actor in time (it is restarting). */
  SERVER_UNAVAILABLE: 503,
} as const;

export type RefusalCode = keyof typeof REFUSALS;
export const REFUSAL_CODES = Object.keys(REFUSALS) as [RefusalCode, ...RefusalCode[]];

export function isRefusalCode(text: string): text is RefusalCode {
  return Object.hasOwn(REFUSALS, text);
}
