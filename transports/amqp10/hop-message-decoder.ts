import { MalformedFrameError } from '../../lib/errors.ts';
import { DESCRIBED, SECTION, SMALL_ULONG, TYPE } from './amqp-encoding.ts';
import type { DecodedMessage } from './message-body.ts';

type Property = string | number | boolean;

/** Bytes that claim the hop's message shape but do not hold it whole (a size past the end, a count its bytes cannot hold). */
export class MalformedHopMessageError extends MalformedFrameError {
  override readonly code = 'MALFORMED_AMQP_MESSAGE';
  constructor(readonly reason: string) {
    super(`AMQP 1.0 message: ${reason}`);
  }
}

/**
 * A message the hop's decoder read: checked as it was read (binary body, string id, scalar
 * properties), so the receiver takes it as it is. A class, so the receiver can tell it from
 * what rhea's generic decoder returns.
 */
export class HopMessage implements DecodedMessage {
  constructor(
    readonly bytes: Uint8Array,
    readonly messageId: string | undefined,
    readonly properties: Readonly<Record<string, Property>>,
  ) {}
}

const NO_PROPERTIES: Readonly<Record<string, Property>> = Object.freeze({});

/** §3.2.1: the header's fields. */
const HEADER_FIELDS = 5;
/** The header fields' plain encodings and the bytes after each constructor. */
const PLAIN_FIELD_WIDTHS = new Map<number, number>([
  [TYPE.null, 0],
  [TYPE.true, 0],
  [TYPE.false, 0],
  [TYPE.boolean, 1],
  [TYPE.ubyte, 1],
  [TYPE.uint0, 0],
  [TYPE.smalluint, 1],
  [TYPE.uint, 4],
]);

/** Returned by the readers below when the bytes are conforming AMQP of another shape: rhea decodes those. */
const OTHER_SHAPE = undefined;

/**
 * Reads exactly the shape `encodeHopMessage` writes, without rhea's generic decoder: an optional
 * header of plain fields (rhea's encoder writes an empty one; the receiver reads nothing in it), an
 * optional properties section holding only a string message-id, optional application-properties of string
 * keys and scalar values (string, boolean, the integer encodings, double), and one data section
 * ending the message. Anything else a peer may send (a header, annotations, other id types, an
 * amqp-value body, several data sections, a footer) returns undefined: rhea's decoder reads it
 * and the receiver validates it as it always has. Bytes that start as the shape but run past the
 * end throw `MalformedHopMessageError`.
 */
export function decodeHopMessage(buffer: Buffer): HopMessage | undefined {
  const reader = new ShapeReader(buffer);
  let messageId: string | undefined;
  let properties = NO_PROPERTIES;
  let section = reader.sectionCode();
  if (section === SECTION.header) {
    if (!reader.plainHeader()) return OTHER_SHAPE;
    section = reader.sectionCode();
  }
  if (section === SECTION.properties) {
    const read = reader.messageIdOnly();
    if (read === OTHER_SHAPE) return OTHER_SHAPE;
    messageId = read.id;
    section = reader.sectionCode();
  }
  if (section === SECTION.applicationProperties) {
    const read = reader.scalarMap();
    if (read === OTHER_SHAPE) return OTHER_SHAPE;
    properties = read;
    section = reader.sectionCode();
  }
  if (section !== SECTION.data) return OTHER_SHAPE;
  const bytes = reader.binary();
  if (bytes === OTHER_SHAPE || !reader.atEnd()) return OTHER_SHAPE;
  return new HopMessage(bytes, messageId, properties);
}

/** A cursor over the message's bytes that reads the shape's parts, and throws when one runs past the end. */
class ShapeReader {
  private at = 0;

  constructor(private readonly buffer: Buffer) {}

  atEnd(): boolean {
    return this.at === this.buffer.length;
  }

  /** The code of the section starting here when it is described by a smallulong, else -1. */
  sectionCode(): number {
    const { buffer, at } = this;
    if (at + 3 > buffer.length || buffer[at] !== DESCRIBED || buffer[at + 1] !== SMALL_ULONG) return -1;
    this.at += 3;
    return buffer[at + 2];
  }

  /**
   * Whether the header holds its five fields (§3.2.1: durable, priority, ttl, first-acquirer,
   * delivery-count) in their plain encodings, or none (list0); they are skipped, as the receiver
   * reads none of them.
   */
  plainHeader(): boolean {
    if (this.peek() === TYPE.list0) return (this.at++, true);
    const list = this.compound(TYPE.list8, TYPE.list32);
    if (list === OTHER_SHAPE || list.count > HEADER_FIELDS) return false;
    for (let i = 0; i < list.count; i++) if (!this.skipPlainField()) return false;
    if (this.at !== list.end) throw new MalformedHopMessageError('the header ends before its size says');
    return true;
  }

  /** The properties list when its only field set is the message-id, a string (or none is set). */
  messageIdOnly(): { id: string | undefined } | undefined {
    if (this.peek() === TYPE.list0) return (this.at++, { id: undefined });
    const list = this.compound(TYPE.list8, TYPE.list32);
    if (list === OTHER_SHAPE || list.count === 0) return OTHER_SHAPE;
    let id: string | undefined;
    const first = this.peek();
    if (first === TYPE.null) this.at++;
    else if (first === TYPE.str8 || first === TYPE.str32) id = this.string();
    else return OTHER_SHAPE;
    // The other fields (user-id, to, subject, ...) must be null: a message that sets them is another shape.
    for (let i = 1; i < list.count; i++) if (this.byte() !== TYPE.null) return OTHER_SHAPE;
    if (this.at !== list.end) throw new MalformedHopMessageError('the properties list ends before its size says');
    return { id };
  }

  /** A map of string keys and scalar values, as a plain object. */
  scalarMap(): Record<string, Property> | undefined {
    const map = this.compound(TYPE.map8, TYPE.map32);
    if (map === OTHER_SHAPE || map.count % 2 !== 0) return OTHER_SHAPE;
    const properties: Record<string, Property> = {};
    for (let i = 0; i < map.count; i += 2) {
      const key = this.string();
      if (key === OTHER_SHAPE) return OTHER_SHAPE;
      const value = this.scalar();
      if (value === OTHER_SHAPE) return OTHER_SHAPE;
      properties[key] = value;
    }
    if (this.at !== map.end) throw new MalformedHopMessageError('application-properties ends before its size says');
    return properties;
  }

  binary(): Uint8Array | undefined {
    const code = this.byte();
    if (code !== TYPE.vbin8 && code !== TYPE.vbin32) return OTHER_SHAPE;
    const length = code === TYPE.vbin8 ? this.byte() : this.uint32();
    return this.take(length);
  }

  private string(): string | undefined {
    const code = this.byte();
    if (code !== TYPE.str8 && code !== TYPE.str32) return OTHER_SHAPE;
    const length = code === TYPE.str8 ? this.byte() : this.uint32();
    const start = this.skip(length);
    return this.buffer.toString('utf8', start, this.at);
  }

  /** A property value: string, boolean or number, in the encodings that decode to exactly those (rhea's included). */
  private scalar(): Property | undefined {
    const code = this.byte();
    switch (code) {
      case TYPE.str8:
      case TYPE.str32:
        this.at--;
        return this.string();
      case TYPE.true:
        return true;
      case TYPE.false:
        return false;
      case TYPE.uint0:
      case TYPE.ulong0:
        return 0;
      case TYPE.smalluint:
      case TYPE.smallulong:
        return this.byte();
      case TYPE.smallint:
      case TYPE.smalllong:
        return (this.byte() << 24) >> 24;
      case TYPE.uint:
        return this.uint32();
      case TYPE.int:
        return this.uint32() | 0;
      case TYPE.double:
        return this.buffer.readDoubleBE(this.skip(8));
      default:
        return OTHER_SHAPE;
    }
  }

  /** A list or map head: its element count and where it ends. */
  private compound(short: number, long: number): { count: number; end: number } | undefined {
    const code = this.byte();
    if (code !== short && code !== long) return OTHER_SHAPE;
    const width = code === short ? 1 : 4;
    const size = width === 1 ? this.byte() : this.uint32();
    const end = this.at + size;
    if (size < width || end > this.buffer.length) throw new MalformedHopMessageError(`a compound of ${size} bytes at byte ${this.at}, past the end or shorter than its count`);
    const count = width === 1 ? this.byte() : this.uint32();
    // Every element takes at least a byte: a count beyond the size is a lie.
    if (count > size - width) throw new MalformedHopMessageError(`a compound announcing ${count} elements in ${size - width} bytes`);
    return { count, end };
  }

  /** Skips one header field in a plain encoding (null, boolean, ubyte, uint); false for any other. */
  private skipPlainField(): boolean {
    const width = PLAIN_FIELD_WIDTHS.get(this.byte());
    if (width === undefined) return false;
    this.skip(width);
    return true;
  }

  private peek(): number {
    if (this.at >= this.buffer.length) throw new MalformedHopMessageError(`the message ends at byte ${this.at}, inside a section`);
    return this.buffer[this.at];
  }

  private byte(): number {
    if (this.at >= this.buffer.length) throw new MalformedHopMessageError(`the message ends at byte ${this.at}, inside a value`);
    return this.buffer[this.at++];
  }

  private uint32(): number {
    return this.buffer.readUInt32BE(this.skip(4));
  }

  /** The body, sharing the message's memory as rhea's decoder does. */
  private take(length: number): Buffer {
    const start = this.skip(length);
    return this.buffer.subarray(start, this.at);
  }

  /** Moves past `length` bytes; where they start. */
  private skip(length: number): number {
    const start = this.at;
    if (start + length > this.buffer.length) throw new MalformedHopMessageError(`a value of ${length} bytes at byte ${start}, past the end (${this.buffer.length} bytes)`);
    this.at = start + length;
    return start;
  }
}
