import type { Headers } from './envelope.ts';
import { InvalidTraceparentError } from './errors.ts';

/** The envelope header that carries W3C trace context (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT = 'traceparent';

/**
 * `version-traceid-parentid-flags`, lower-case hex, 55 characters: version 00's format, which
 * any later version keeps as its prefix. Anything longer is refused, so the header stays bounded.
 */
const FORMAT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_PARENT = '0'.repeat(16);

/** A well-formed traceparent: the format, no version `ff`, no all-zero trace or parent id (as the spec says). */
export function isTraceparent(value: unknown): value is string {
  return (
    typeof value === 'string' && FORMAT.test(value) && !value.startsWith('ff') && value.slice(3, 35) !== ZERO_TRACE && value.slice(36, 52) !== ZERO_PARENT
  );
}

/** The traceparent an envelope's headers carry, if any. */
export function traceparentOf(headers: Headers | undefined): string | undefined {
  const value = headers?.[TRACEPARENT];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Headers decoded from bytes: a malformed traceparent is dropped (the trace restarts at the
 * receiver, as the spec says a receiver does), never handed to an actor nor refused whole.
 */
export function dropBadTraceparent(headers: Headers): Headers {
  if (TRACEPARENT in headers && !isTraceparent(headers[TRACEPARENT])) delete headers[TRACEPARENT];
  return headers;
}

/**
 * The headers a send carries: the caller's, with the `traceparent` it named (checked: a bad one
 * is the sender's mistake, returned as `InvalidTraceparentError` for the send to reject with),
 * or else `inherited` (the sending actor's current trace). Nothing is copied when neither is set.
 */
export function outgoingHeaders(options: { headers?: Headers; traceparent?: string } | undefined, inherited: string | undefined): Headers | undefined | InvalidTraceparentError {
  const given = options?.headers;
  const explicit = options?.traceparent ?? given?.[TRACEPARENT];
  if (explicit !== undefined) {
    if (!isTraceparent(explicit)) return new InvalidTraceparentError(String(explicit));
    return options?.traceparent === undefined ? given : { ...given, [TRACEPARENT]: options.traceparent };
  }
  return inherited === undefined ? given : { ...given, [TRACEPARENT]: inherited };
}
