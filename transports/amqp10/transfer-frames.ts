import { createRequire } from 'node:module';
import { DESCRIBED, MAX_SHORT, SMALL_ULONG, TYPE, writeBinary } from './amqp-encoding.ts';
import { frameInHeadroom } from './frame-headroom.ts';
import type { Connection } from './rhea-types.ts';

/** AMQP 1.0 §2.7.5: the transfer performative's descriptor code and the fields the hop uses, in order. */
const TRANSFER = 0x14;
const HOP_FIELDS = ['handle', 'delivery_id', 'delivery_tag', 'message_format', 'settled', 'more'] as const;
const HOP_FIELD_NAMES: ReadonlySet<string> = new Set(HOP_FIELDS);
/** §2.3.1: size (4), data offset (1, in 4-byte words), type (1, 0 = AMQP), channel (2). */
const FRAME_HEADER_BYTES = 8;
const AMQP_FRAME = 0;

/** A frame as rhea's transport holds it. */
interface RheaFrame {
  size?: number;
  type: number;
  channel: number;
  performative?: { value?: unknown[]; constructor: unknown; [field: string]: unknown };
  payload?: Buffer;
}

interface RheaFrames {
  read_frame(buffer: Buffer): RheaFrame | null;
  write_frame(frame: RheaFrame): Buffer;
  transfer(fields: Record<string, unknown>): NonNullable<RheaFrame['performative']>;
}

/**
 * A transfer as rhea's session asks for one (Outgoing.process: handle, format, id, tag, settled,
 * more), kept as the plain fields it passed: rhea's own is a composite that wraps each field in a
 * typed value, which the hop's writer would only unwrap again.
 */
class HopTransfer {
  constructor(readonly fields: Record<string, unknown>) {}
}

/** rhea's AMQP transport of one connection: it reads whole frames from the bytes in, and writes the frames pending. */
interface FrameTransport {
  read(...args: unknown[]): number;
  write(...args: unknown[]): void;
}

/**
 * The transfer performative as rhea's session reads it (its fields by name), made by the hop's
 * reader instead of rhea's generic one; `dispatch` hands the frame on as rhea's performatives do.
 */
class TransferFields {
  rcv_settle_mode = undefined;
  state = undefined;
  resume = undefined;
  aborted = undefined;
  batchable = undefined;

  constructor(
    readonly handle: number,
    readonly delivery_id: number | null | undefined,
    readonly delivery_tag: Buffer | null | undefined,
    readonly message_format: number | null | undefined,
    readonly settled: boolean | null | undefined,
    readonly more: boolean | null | undefined,
  ) {}

  dispatch(target: { on_transfer(frame: RheaFrame): void }, frame: RheaFrame): void {
    target.on_transfer(frame);
  }
}

/** Whether the frame being read or written belongs to an airlock connection: only those take the hop's transfer codec. */
let onAirlockConnection = false;
let installed = false;
const rheaFrames = createRequire(import.meta.url)('rhea/lib/frames.js') as RheaFrames;
/** rhea's own transfer maker, kept before the hop's replaces it on airlock's connections. */
const rheaTransfer = rheaFrames.transfer;
/** The class of rhea's transfer performatives: a frame's performative is a transfer when it is one of these. */
const transferClass: unknown = rheaTransfer({ handle: 0 }).constructor;

/**
 * The transfer frames of airlock's connections, read and written directly: rhea builds each with
 * its generic typed-value writer (a zero-filled 1 KiB buffer, a wrapper object per field) and reads
 * each into a tree of typed values, per message; the hop's transfers carry six fields (handle,
 * delivery-id, tag, format, settled, more), so these few bytes are written and read in place. Every
 * other frame, and a transfer with any other field set (a state, resume, abort, batchable) or in
 * another encoding, goes through rhea's own codec, as does every frame of other rhea connections
 * in the process. rhea still decides what to send and when (sessions, links, credit, windows).
 */
export function useHopTransferFrames(connection: Connection): void {
  installOnce();
  // The connection's own transport object (rhea's SASL layer hands over to this same one), made with the connection.
  const transport = (connection as unknown as { amqp_transport: FrameTransport }).amqp_transport;
  const { read, write } = transport;
  transport.read = function (this: FrameTransport, ...args: unknown[]) {
    return onThisConnection(() => read.apply(this, args));
  };
  transport.write = function (this: FrameTransport, ...args: unknown[]) {
    onThisConnection(() => write.apply(this, args));
  };
  // Where rhea's session makes its transfers (rhea schedules it as `this._process`, looked up each time).
  const processing = connection as unknown as { _process(): void };
  const processSessions = processing._process;
  processing._process = function (this: unknown) {
    onThisConnection(() => processSessions.call(this));
  };
}

function onThisConnection<T>(call: () => T): T {
  const outer = onAirlockConnection;
  onAirlockConnection = true;
  try {
    return call();
  } finally {
    onAirlockConnection = outer;
  }
}

/** rhea is one module: its frame codec and transfer maker are replaced once, and each gated on `onAirlockConnection`. */
function installOnce(): void {
  if (installed) return;
  installed = true;
  const frames = rheaFrames;
  const { read_frame, write_frame } = frames;
  frames.read_frame = (buffer) => (onAirlockConnection ? readTransferFrame(buffer) : undefined) ?? read_frame(buffer);
  frames.write_frame = (frame) => (onAirlockConnection ? writeTransferFrame(frame) : undefined) ?? write_frame(asRheaFrame(frame));
  frames.transfer = (fields) => (onAirlockConnection ? (new HopTransfer(fields) as unknown as ReturnType<RheaFrames['transfer']>) : rheaTransfer(fields));
}

/** A transfer frame of the hop's fields, written in one buffer with its payload; undefined for any other frame. */
export function writeTransferFrame(frame: RheaFrame): Buffer | undefined {
  const fields = transferFields(frame);
  if (!fields) return undefined;
  // rhea's getters give null for a field set to nothing; null and absent are both written as null.
  const handle = fields.handle;
  const deliveryId = fields.delivery_id ?? undefined;
  const tag = fields.delivery_tag ?? undefined;
  const format = fields.message_format ?? undefined;
  const settled = fields.settled ?? undefined;
  const more = fields.more ?? undefined;
  if (!isUint(handle) || !optionalUint(deliveryId) || !optionalUint(format) || !(tag === undefined || Buffer.isBuffer(tag))) return undefined;
  if (!optionalBoolean(settled) || !optionalBoolean(more)) return undefined;
  const tagBytes = tag === undefined ? 1 : tag.length <= MAX_SHORT ? 2 + tag.length : 5 + tag.length;
  const fieldBytes = uintSize(handle) + optionalUintSize(deliveryId) + tagBytes + optionalUintSize(format) + 1 + 1;
  const listBytes = fieldBytes + 1 <= MAX_SHORT ? 3 + fieldBytes : 9 + fieldBytes;
  const payload = frame.payload;
  const headerBytes = FRAME_HEADER_BYTES + 3 + listBytes;
  const size = headerBytes + (payload ? payload.length : 0);
  const inPlace = payload ? frameInHeadroom(payload, headerBytes) : undefined;
  const out = inPlace ?? Buffer.allocUnsafe(size);
  out.writeUInt32BE(size, 0);
  out[4] = 2;
  out[5] = AMQP_FRAME;
  out.writeUInt16BE(frame.channel, 6);
  out[8] = DESCRIBED;
  out[9] = SMALL_ULONG;
  out[10] = TRANSFER;
  let at = 11;
  if (fieldBytes + 1 <= MAX_SHORT) {
    out[at] = TYPE.list8;
    out[at + 1] = fieldBytes + 1;
    out[at + 2] = HOP_FIELDS.length;
    at += 3;
  } else {
    out[at] = TYPE.list32;
    out.writeUInt32BE(fieldBytes + 4, at + 1);
    out.writeUInt32BE(HOP_FIELDS.length, at + 5);
    at += 9;
  }
  at = writeUint(out, at, handle);
  at = deliveryId === undefined ? writeNull(out, at) : writeUint(out, at, deliveryId);
  at = tag === undefined ? writeNull(out, at) : writeBinary(out, at, tag);
  at = format === undefined ? writeNull(out, at) : writeUint(out, at, format);
  out[at++] = settled === undefined ? TYPE.null : settled ? TYPE.true : TYPE.false;
  out[at++] = more === undefined ? TYPE.null : more ? TYPE.true : TYPE.false;
  if (payload && !inPlace) payload.copy(out, at);
  return out;
}

/** The fields of a transfer with the hop's fields only, from rhea's composite or a `HopTransfer`; undefined for any other frame. */
function transferFields(frame: RheaFrame): Record<string, unknown> | undefined {
  const performative = frame.performative;
  if (frame.type !== AMQP_FRAME || !performative) return undefined;
  if (performative instanceof HopTransfer) {
    for (const name in performative.fields) if (!HOP_FIELD_NAMES.has(name) && performative.fields[name] != null) return undefined;
    return performative.fields;
  }
  // rhea's transfers set the first six fields only; one with a state, resume, abort or batchable is rhea's to write.
  if (performative.constructor !== transferClass || (performative.value?.length ?? 0) > HOP_FIELDS.length) return undefined;
  return performative;
}

/** A frame for rhea's own writer: a `HopTransfer` the hop's writer did not take becomes rhea's transfer again. */
function asRheaFrame(frame: RheaFrame): RheaFrame {
  if (!(frame.performative instanceof HopTransfer)) return frame;
  return { ...frame, performative: rheaTransfer(frame.performative.fields) };
}

/**
 * A transfer frame of the hop's fields as rhea's session reads it; undefined (rhea reads it) for any
 * other frame, or a transfer with more fields or other encodings. Reads nothing past `buffer`:
 * rhea's transport hands over exactly one frame, its size already checked.
 */
export function readTransferFrame(buffer: Buffer): RheaFrame | undefined {
  if (buffer.length < FRAME_HEADER_BYTES + 4) return undefined;
  const doff = buffer[4];
  const start = doff * 4;
  if (doff < 2 || buffer[5] !== AMQP_FRAME || buffer.length < start + 4) return undefined;
  if (buffer[start] !== DESCRIBED || buffer[start + 1] !== SMALL_ULONG || buffer[start + 2] !== TRANSFER) return undefined;
  const reader = new FieldReader(buffer, start + 3);
  const fields = reader.list();
  if (fields === undefined) return undefined;
  const handle = fields.count > 0 ? reader.uint() : undefined;
  const deliveryId = fields.count > 1 ? reader.uint() : undefined;
  const tag = fields.count > 2 ? reader.binary() : undefined;
  const format = fields.count > 3 ? reader.uint() : undefined;
  const settled = fields.count > 4 ? reader.boolean() : undefined;
  const more = fields.count > 5 ? reader.boolean() : undefined;
  if (reader.failed || typeof handle !== 'number' || reader.at !== fields.end) return undefined;
  const performative = new TransferFields(handle, deliveryId, tag, format, settled, more);
  const frame: RheaFrame = { size: buffer.length, type: AMQP_FRAME, channel: buffer.readUInt16BE(6), performative: performative as unknown as RheaFrame['performative'] };
  if (fields.end < buffer.length) frame.payload = buffer.subarray(fields.end);
  return frame;
}

/** Reads the transfer's fields; `failed` once one is not in the hop's encodings or runs past the end. */
class FieldReader {
  failed = false;

  constructor(
    private readonly buffer: Buffer,
    public at: number,
  ) {}

  list(): { count: number; end: number } | undefined {
    const code = this.buffer[this.at];
    if (code === TYPE.list8 && this.at + 3 <= this.buffer.length) {
      const end = this.at + 2 + this.buffer[this.at + 1];
      const count = this.buffer[this.at + 2];
      this.at += 3;
      return end <= this.buffer.length && count <= HOP_FIELDS.length ? { count, end } : undefined;
    }
    if (code === TYPE.list32 && this.at + 9 <= this.buffer.length) {
      const end = this.at + 5 + this.buffer.readUInt32BE(this.at + 1);
      const count = this.buffer.readUInt32BE(this.at + 5);
      this.at += 9;
      return end <= this.buffer.length && count <= HOP_FIELDS.length ? { count, end } : undefined;
    }
    return undefined;
  }

  uint(): number | null | undefined {
    const code = this.take(1);
    if (code === undefined) return undefined;
    if (code === TYPE.null) return null;
    if (code === TYPE.uint0) return 0;
    if (code === TYPE.smalluint) return this.take(1);
    if (code === TYPE.uint) {
      if (this.at + 4 > this.buffer.length) return this.fail();
      const value = this.buffer.readUInt32BE(this.at);
      this.at += 4;
      return value;
    }
    return this.fail();
  }

  binary(): Buffer | null | undefined {
    const code = this.take(1);
    if (code === TYPE.null) return null;
    let length: number | undefined;
    if (code === TYPE.vbin8) length = this.take(1);
    else if (code === TYPE.vbin32 && this.at + 4 <= this.buffer.length) {
      length = this.buffer.readUInt32BE(this.at);
      this.at += 4;
    }
    if (length === undefined || this.at + length > this.buffer.length) return this.fail();
    const bytes = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }

  boolean(): boolean | null | undefined {
    const code = this.take(1);
    if (code === TYPE.null) return null;
    if (code === TYPE.true) return true;
    if (code === TYPE.false) return false;
    if (code === TYPE.boolean) {
      const value = this.take(1);
      if (value === 0 || value === 1) return value === 1;
    }
    return this.fail();
  }

  private take(count: 1): number | undefined {
    if (this.at + count > this.buffer.length) return this.fail();
    return this.buffer[this.at++];
  }

  private fail(): undefined {
    this.failed = true;
    return undefined;
  }
}

function isUint(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

function optionalUint(value: unknown): value is number | undefined {
  return value === undefined || isUint(value);
}

function optionalBoolean(value: unknown): value is boolean | undefined {
  return value === undefined || typeof value === 'boolean';
}

function uintSize(value: number): number {
  return value === 0 ? 1 : value <= MAX_SHORT ? 2 : 5;
}

function optionalUintSize(value: number | undefined): number {
  return value === undefined ? 1 : uintSize(value);
}

function writeNull(out: Buffer, at: number): number {
  out[at] = TYPE.null;
  return at + 1;
}

function writeUint(out: Buffer, at: number, value: number): number {
  if (value === 0) {
    out[at] = TYPE.uint0;
    return at + 1;
  }
  if (value <= MAX_SHORT) {
    out[at] = TYPE.smalluint;
    out[at + 1] = value;
    return at + 2;
  }
  out[at] = TYPE.uint;
  out.writeUInt32BE(value, at + 1);
  return at + 5;
}

