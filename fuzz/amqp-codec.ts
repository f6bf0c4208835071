/**
 * AMQP 1.0 by hand, as much as a hostile peer needs: the type system's encodings (null, booleans,
 * uints, ulongs, strings, symbols, binaries, lists, described values), frames, the performatives
 * by code, and a reader that splits the bytes a peer sends back into frames and finds the error
 * conditions they carry. Written from the specification (OASIS AMQP 1.0, part 1 and 2), not rhea.
 */

export const PROTOCOL_HEADER = Uint8Array.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]);
export const SASL_HEADER = Uint8Array.from([0x41, 0x4d, 0x51, 0x50, 3, 1, 0, 0]);

/** Performative descriptor codes (part 2.7). */
export const PERFORMATIVE = { open: 0x10, begin: 0x11, attach: 0x12, flow: 0x13, transfer: 0x14, disposition: 0x15, detach: 0x16, end: 0x17, close: 0x18 } as const;
/** Message sections and termini (part 3). */
export const SECTION = { properties: 0x73, applicationProperties: 0x74, data: 0x75, amqpSequence: 0x76, amqpValue: 0x77, source: 0x28, target: 0x29 } as const;

export type Encoded = Uint8Array;

export const nul = (): Encoded => Uint8Array.of(0x40);
export const bool = (value: boolean): Encoded => Uint8Array.of(value ? 0x41 : 0x42);
export const ubyte = (value: number): Encoded => Uint8Array.of(0x50, value & 0xff);
export const ushort = (value: number): Encoded => withBytes(0x60, 2, (view) => view.setUint16(0, value));
export const uint = (value: number): Encoded => withBytes(0x70, 4, (view) => view.setUint32(0, value >>> 0));
export const ulong = (value: bigint): Encoded => withBytes(0x80, 8, (view) => view.setBigUint64(0, value));
export const str = (text: string): Encoded => variable(0xb1, Buffer.from(text, 'utf8'));
export const sym = (text: string): Encoded => variable(0xb3, Buffer.from(text, 'latin1'));
export const bin = (bytes: Uint8Array): Encoded => variable(0xb0, bytes);

/** A list32 of already-encoded values. */
export function list(items: readonly Encoded[]): Encoded {
  const body = Buffer.concat(items);
  const head = Buffer.alloc(9);
  head[0] = 0xd0;
  head.writeUInt32BE(body.byteLength + 4, 1);
  head.writeUInt32BE(items.length, 5);
  return Buffer.concat([head, body]);
}

/** A map32 of already-encoded keys and values. */
export function map(entries: readonly [Encoded, Encoded][]): Encoded {
  const body = Buffer.concat(entries.flat());
  const head = Buffer.alloc(9);
  head[0] = 0xd1;
  head.writeUInt32BE(body.byteLength + 4, 1);
  head.writeUInt32BE(entries.length * 2, 5);
  return Buffer.concat([head, body]);
}

/** A value described by a small ulong code (`0x00 0x53 code value`). */
export function described(code: number, value: Encoded): Encoded {
  return Buffer.concat([Uint8Array.of(0x00, 0x53, code & 0xff), value]);
}

/** An AMQP frame (type 0) or SASL frame (type 1): size, data offset 2, type, channel, body. */
export function frame(channel: number, body: Uint8Array, type = 0): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.byteLength, 0);
  head[4] = 2;
  head[5] = type;
  head.writeUInt16BE(channel & 0xffff, 6);
  return Buffer.concat([head, body]);
}

export function performative(channel: number, code: number, fields: readonly Encoded[], payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return frame(channel, Buffer.concat([described(code, list(fields)), payload]));
}

/** A message of one data section: what airlock's links carry. */
export function dataMessage(bytes: Uint8Array): Uint8Array {
  return described(SECTION.data, bin(bytes));
}

function withBytes(code: number, size: number, write: (view: DataView) => void): Encoded {
  const out = new Uint8Array(1 + size);
  out[0] = code;
  write(new DataView(out.buffer, 1));
  return out;
}

function variable(code: number, bytes: Uint8Array): Encoded {
  const head = Buffer.alloc(5);
  head[0] = code;
  head.writeUInt32BE(bytes.byteLength, 1);
  return Buffer.concat([head, bytes]);
}

/** One frame as received: its performative code (undefined for an empty frame or a protocol header) and body. */
export interface ReceivedFrame {
  readonly header: boolean;
  readonly code: number | undefined;
  readonly body: Buffer;
}

/** Splits a peer's byte stream into protocol headers and frames. */
export class FrameReader {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): ReceivedFrame[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: ReceivedFrame[] = [];
    for (;;) {
      if (this.pending.length >= 8 && this.pending.readUInt32BE(0) === 0x414d5150) {
        frames.push({ header: true, code: undefined, body: this.pending.subarray(0, 8) });
        this.pending = this.pending.subarray(8);
        continue;
      }
      if (this.pending.length < 8) return frames;
      const size = this.pending.readUInt32BE(0);
      if (size < 8) throw new Error(`the peer sent a frame of ${size} bytes`);
      if (this.pending.length < size) return frames;
      const body = this.pending.subarray(this.pending[4]! * 4, size);
      const code = body.length >= 3 && body[0] === 0x00 && body[1] === 0x53 ? body[2] : undefined;
      frames.push({ header: false, code, body });
      this.pending = this.pending.subarray(size);
    }
  }
}

/** The error conditions (`amqp:…` symbols) a frame carries: how a peer says why it refused. */
export function conditionsOf(received: ReceivedFrame): string[] {
  return received.body.toString('latin1').match(/amqp:[a-z:-]+/g) ?? [];
}

/** The first field of a performative, when it is a string (an attach's link name). */
export function firstString(received: ReceivedFrame): string | undefined {
  const body = received.body;
  const list = body[3];
  const at = list === 0xd0 ? 12 : list === 0xc0 ? 6 : -1;
  if (at < 0) return undefined;
  if (body[at] === 0xa1) return body.subarray(at + 2, at + 2 + body[at + 1]!).toString('utf8');
  if (body[at] === 0xb1) return body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1)).toString('utf8');
  return undefined;
}
