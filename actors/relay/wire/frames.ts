import { AirlockError } from '../../../lib/errors.ts';
import { IDENTITY_BYTES, MAX_FRAME_PAYLOAD, TOKEN_BYTES, WIRE_VERSION } from '../limits.ts';
import { STATUS, statusName, type StatusName } from './status.ts';

/**
 * The relay's handshake, byte for byte (the README's "Relay wire" section says the same). Every
 * frame is a 4-byte header and a payload:
 *
 *   version u8 (1) | type u8 | length u16 big-endian (≤ 256) | payload (length bytes)
 *
 * Requests (party → relay): RESERVE 0x01 (empty payload; C, over TLS to the relay with its client
 * certificate; sent again on the same link to renew), CONNECT 0x02 (payload: the 32-byte target
 * identity), ACCEPT 0x03 (payload: the 16-byte circuit token). Replies (relay → party): STATUS
 * 0x81 (payload: status u16, then for OK: ttlMs u32 | maxDurationMs u32 | maxBytes u64, all
 * big-endian; ttlMs is 0 except in a reservation's), INCOMING 0x82 (relay → C on its
 * registration link; payload: the 16-byte token C must ACCEPT with on a new connection).
 */
export const FRAME_TYPE = { RESERVE: 0x01, CONNECT: 0x02, ACCEPT: 0x03, STATUS: 0x81, INCOMING: 0x82 } as const;
export const HEADER_BYTES = 4;
const STATUS_BYTES = 2;
const OK_PAYLOAD_BYTES = STATUS_BYTES + 4 + 4 + 8;

/** What an OK carries: how long a reservation lasts, and the limits of each circuit. */
export interface Grant {
  ttlMs: number;
  maxDurationMs: number;
  maxBytes: number;
}

export type Frame =
  | { type: 'RESERVE' }
  | { type: 'CONNECT'; identity: string }
  | { type: 'ACCEPT'; token: string }
  | { type: 'STATUS'; status: StatusName; grant?: Grant }
  | { type: 'INCOMING'; token: string };

/** A frame that does not parse; `status` is what the relay answers before it closes. */
export class MalformedRelayFrameError extends AirlockError {
  constructor(readonly reason: string) {
    super('MALFORMED_RELAY_FRAME', `malformed relay frame: ${reason}`);
  }
}

export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'RESERVE':
      return framed(FRAME_TYPE.RESERVE, Buffer.alloc(0));
    case 'CONNECT':
      return framed(FRAME_TYPE.CONNECT, fixedHex(frame.identity, IDENTITY_BYTES, 'identity'));
    case 'ACCEPT':
      return framed(FRAME_TYPE.ACCEPT, fixedHex(frame.token, TOKEN_BYTES, 'token'));
    case 'INCOMING':
      return framed(FRAME_TYPE.INCOMING, fixedHex(frame.token, TOKEN_BYTES, 'token'));
    case 'STATUS': {
      if (frame.status !== 'OK') {
        const refusal = Buffer.alloc(STATUS_BYTES);
        refusal.writeUInt16BE(STATUS[frame.status], 0);
        return framed(FRAME_TYPE.STATUS, refusal);
      }
      const grant = frame.grant ?? { ttlMs: 0, maxDurationMs: 0, maxBytes: 0 };
      const payload = Buffer.alloc(OK_PAYLOAD_BYTES);
      payload.writeUInt16BE(STATUS.OK, 0);
      payload.writeUInt32BE(grant.ttlMs, 2);
      payload.writeUInt32BE(grant.maxDurationMs, 6);
      payload.writeBigUInt64BE(BigInt(grant.maxBytes), 10);
      return framed(FRAME_TYPE.STATUS, payload);
    }
  }
}

function framed(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(WIRE_VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(payload.length, 2);
  return Buffer.concat([header, payload]);
}

function fixedHex(value: string, bytes: number, what: string): Buffer {
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(value)) throw new TypeError(`a ${what} is ${bytes * 2} lowercase hex characters`);
  return Buffer.from(value, 'hex');
}

/** One frame from its type and payload; throws `MalformedRelayFrameError`. */
export function decodeFrame(type: number, payload: Buffer): Frame {
  const expect = (bytes: number, what: string) => {
    if (payload.length !== bytes) throw new MalformedRelayFrameError(`${what} of ${payload.length} bytes, expected ${bytes}`);
  };
  switch (type) {
    case FRAME_TYPE.RESERVE:
      expect(0, 'RESERVE payload');
      return { type: 'RESERVE' };
    case FRAME_TYPE.CONNECT:
      expect(IDENTITY_BYTES, 'identity');
      return { type: 'CONNECT', identity: payload.toString('hex') };
    case FRAME_TYPE.ACCEPT:
      expect(TOKEN_BYTES, 'token');
      return { type: 'ACCEPT', token: payload.toString('hex') };
    case FRAME_TYPE.INCOMING:
      expect(TOKEN_BYTES, 'token');
      return { type: 'INCOMING', token: payload.toString('hex') };
    case FRAME_TYPE.STATUS: {
      if (payload.length < STATUS_BYTES) throw new MalformedRelayFrameError('STATUS without its code');
      const code = payload.readUInt16BE(0);
      const status = statusName(code);
      if (!status) throw new MalformedRelayFrameError(`unknown status ${code}`);
      if (status !== 'OK') {
        expect(STATUS_BYTES, 'refusal');
        return { type: 'STATUS', status };
      }
      expect(OK_PAYLOAD_BYTES, 'OK');
      const maxBytes = payload.readBigUInt64BE(10);
      if (maxBytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedRelayFrameError('maxBytes past 2^53');
      return { type: 'STATUS', status, grant: { ttlMs: payload.readUInt32BE(2), maxDurationMs: payload.readUInt32BE(6), maxBytes: Number(maxBytes) } };
    }
    default:
      throw new MalformedRelayFrameError(`unknown frame type 0x${type.toString(16).padStart(2, '0')}`);
  }
}

/**
 * Reads frames off a byte stream, chunk by chunk. A header naming another version or a payload
 * past `MAX_FRAME_PAYLOAD` throws at once, before the payload is buffered, so no peer can make the
 * reader hold more than a header and 256 bytes.
 */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** The frames `chunk` completes, in order; bytes of an unfinished frame stay buffered. */
  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  /** Takes `chunk` without reading a frame yet (`next()` reads them one at a time). */
  append(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  /** One frame if a whole one is buffered (what follows stays, for `rest()`). */
  next(): Frame | undefined {
    if (this.buffered.length < HEADER_BYTES) {
      if (this.buffered.length >= 1 && this.buffered[0] !== WIRE_VERSION) throw new MalformedRelayFrameError(`version ${this.buffered[0]}, expected ${WIRE_VERSION}`);
      return undefined;
    }
    const version = this.buffered.readUInt8(0);
    if (version !== WIRE_VERSION) throw new MalformedRelayFrameError(`version ${version}, expected ${WIRE_VERSION}`);
    const length = this.buffered.readUInt16BE(2);
    if (length > MAX_FRAME_PAYLOAD) throw new MalformedRelayFrameError(`payload of ${length} bytes, at most ${MAX_FRAME_PAYLOAD}`);
    if (this.buffered.length < HEADER_BYTES + length) return undefined;
    const type = this.buffered.readUInt8(1);
    const payload = Buffer.from(this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + length));
    this.buffered = this.buffered.subarray(HEADER_BYTES + length);
    return decodeFrame(type, payload);
  }

  /** Bytes buffered past the last whole frame (handed back to the stream when the handshake ends). */
  rest(): Buffer {
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }

  get bufferedBytes(): number {
    return this.buffered.length;
  }
}
