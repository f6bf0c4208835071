import { Packr } from 'msgpackr';
import { MalformedFrameError, OversizedMessageError } from '../../lib/errors.ts';

/** Admin requests are tiny; anything past this is refused before it is buffered whole. */
export const MAX_ADMIN_FRAME_BYTES = 1 << 20;
const LENGTH_BYTES = 4;

/** Plain msgpack only (as in lib/codec.ts): decoding bytes from a client builds nothing but data. */
const packr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, mapsAsObjects: true, int64AsType: 'number' });

/** One frame: a 4-byte big-endian length, then that many bytes of msgpack. */
export function encodeAdminFrame(value: unknown): Buffer {
  const body = packr.pack(value);
  const header = Buffer.alloc(LENGTH_BYTES);
  header.writeUInt32BE(body.byteLength);
  return Buffer.concat([header, body]);
}

export function decodeAdminBody(bytes: Uint8Array): unknown {
  try {
    return packr.unpack(bytes);
  } catch (error) {
    throw new MalformedFrameError('not msgpack', error);
  }
}

/** Cuts a byte stream into frame bodies. */
export class AdminFrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = MAX_ADMIN_FRAME_BYTES) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.byteLength === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  /**
   * The next complete frame body, or undefined until more bytes arrive. Throws
   * `OversizedMessageError` for a declared length past the limit: the stream cannot be
   * trusted after that, so the caller should close it.
   */
  next(): Buffer | undefined {
    if (this.buffered.byteLength < LENGTH_BYTES) return undefined;
    const length = this.buffered.readUInt32BE(0);
    if (length > this.maxBytes) throw new OversizedMessageError(length, this.maxBytes);
    if (this.buffered.byteLength < LENGTH_BYTES + length) return undefined;
    const body = this.buffered.subarray(LENGTH_BYTES, LENGTH_BYTES + length);
    this.buffered = this.buffered.subarray(LENGTH_BYTES + length);
    return body;
  }
}
