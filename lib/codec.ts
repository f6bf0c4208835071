import { Packr } from 'msgpackr';
import type { Envelope, Headers } from './envelope.ts';
import { dropBadTraceparent } from './trace-context.ts';
import { MalformedFrameError, OversizedMessageError } from './errors.ts';
import { checkPlainMsgpack } from './plain-msgpack.ts';

/** Frames larger than this are refused before any decoding (1 MiB unless configured). */
export const DEFAULT_MAX_FRAME_BYTES = 1 << 20;

const FRAME_VERSION = 1;

/**
 * Plain msgpack out: no records, no structured clone, no extension types. These options do not
 * stop msgpackr from decoding its extensions, so `checkPlainMsgpack` refuses them before decoding;
 * `copyBuffers` gives bin values their own bytes, not a view that pins (or shares) the frame.
 */
const packr = new Packr({
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: true,
  int64AsType: 'number',
  copyBuffers: true,
});

/**
 * An envelope on the wire is a msgpack array: [version, id, to, from, type, body,
 * correlationId, replyTo, headers, attempt]. An array keeps frames small and decoding cheap.
 */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return packr.pack([
    FRAME_VERSION,
    envelope.id,
    envelope.to,
    envelope.from ?? null,
    envelope.type,
    envelope.body,
    envelope.correlationId ?? null,
    envelope.replyTo ?? null,
    envelope.headers ?? null,
    envelope.attempt,
  ]);
}

/** Plain data as msgpack, for the small frames that are not envelopes (a roll-call answer). */
export function encodePlain(value: unknown): Buffer {
  return packr.pack(value);
}

/**
 * Bytes from outside decoded to plain data only (see `checkPlainMsgpack`), or a typed error:
 * `OversizedMessageError` over `maxBytes`, `MalformedFrameError` for anything else. The caller
 * validates the shape.
 */
export function decodePlain(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FRAME_BYTES): unknown {
  if (bytes.byteLength > maxBytes) throw new OversizedMessageError(bytes.byteLength, maxBytes);
  checkPlainMsgpack(bytes);
  try {
    return packr.unpack(bytes);
  } catch (error) {
    throw new MalformedFrameError('not msgpack', error);
  }
}

/**
 * Decodes a frame into an envelope whose fields are checked; anything but plain data (see
 * `checkPlainMsgpack`) is a `MalformedFrameError`. The body is NOT validated here:
 * that is the receiver's protocol's job (see `Protocol.validate`), done before delivery.
 */
export function decodeEnvelope(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FRAME_BYTES): Envelope {
  const frame = decodePlain(bytes, maxBytes);
  if (!Array.isArray(frame) || frame.length !== 10) throw new MalformedFrameError('not an envelope array');
  const [version, id, to, from, type, body, correlationId, replyTo, headers, attempt] = frame;
  if (version !== FRAME_VERSION) throw new MalformedFrameError(`unsupported frame version ${String(version)}`);
  return {
    id: requireString(id, 'id'),
    to: requireString(to, 'to'),
    from: optionalString(from, 'from'),
    type: requireString(type, 'type'),
    body,
    correlationId: optionalString(correlationId, 'correlationId'),
    replyTo: optionalString(replyTo, 'replyTo'),
    headers: optionalHeaders(headers),
    attempt: requireAttempt(attempt),
  };
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new MalformedFrameError(`field '${field}' must be a non-empty string`);
  }
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  return value === null || value === undefined ? undefined : requireString(value, field);
}

function requireAttempt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MalformedFrameError("field 'attempt' must be a non-negative integer");
  }
  return value;
}

function optionalHeaders(value: unknown): Headers | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) throw new MalformedFrameError("field 'headers' must be a map");
  const headers: Headers = {};
  // Object.keys and an index, not Object.entries: no pair arrays on every decoded frame.
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new MalformedFrameError(`header '${key}' must be a string, number or boolean`);
    }
    headers[key] = item;
  }
  return dropBadTraceparent(headers);
}
