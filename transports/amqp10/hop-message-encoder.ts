import rhea from 'rhea';
import type { LinkSendOptions } from '../../lib/index.ts';
import { binarySize, DESCRIBED, MAX_INT32, MAX_SHORT, MIN_INT32, SECTION, SMALL_ULONG, TYPE, writeBinary } from './amqp-encoding.ts';
import { allocateWithHeadroom } from './frame-headroom.ts';
import { encodeMessage } from './message-body.ts';

type Property = string | number | boolean;

/** A section's three-byte start: 0x00, smallulong, its code. */
const SECTION_HEAD_BYTES = 3;

/**
 * The bytes of the one message shape the hop carries, written directly (AMQP 1.0 §3.2): a
 * properties section holding only the message-id (a string), application-properties (string keys;
 * string, boolean, int or double values), and the body as one data section. rhea's generic encoder
 * builds a tree of typed wrappers and grows a buffer for the same bytes; this sizes the message
 * first and writes it once. Any value outside the shape (an integer beyond 32 bits, NaN) goes
 * through rhea's encoder instead, so what a peer receives is the same AMQP either way.
 */
export function encodeHopMessage(bytes: Uint8Array, options: LinkSendOptions = {}): Buffer {
  const { messageId, properties } = options;
  const propertyBytes = properties ? applicationPropertiesSize(properties) : 0;
  if (propertyBytes < 0) return rhea.message.encode(encodeMessage(bytes, options));
  const idBytes = messageId === undefined ? -1 : Buffer.byteLength(messageId);
  const total = (idBytes < 0 ? 0 : propertiesSectionSize(idBytes)) + propertyBytes + SECTION_HEAD_BYTES + binarySize(bytes.byteLength);
  // With room in front for the transfer frame: the frame is written there, the message never copied.
  const out = allocateWithHeadroom(total);
  let at = 0;
  if (messageId !== undefined) at = writePropertiesSection(out, at, messageId, idBytes);
  if (properties && propertyBytes > 0) at = writeApplicationProperties(out, at, properties);
  at = writeSectionHead(out, at, SECTION.data);
  at = writeBinary(out, at, bytes);
  return out;
}

function writeSectionHead(out: Buffer, at: number, code: number): number {
  out[at] = DESCRIBED;
  out[at + 1] = SMALL_ULONG;
  out[at + 2] = code;
  return at + SECTION_HEAD_BYTES;
}

/** The properties section as a list of one field, the message-id: a list may stop after its last field that is set (§1.4). */
function propertiesSectionSize(idBytes: number): number {
  return SECTION_HEAD_BYTES + compoundSize(stringSize(idBytes), 1);
}

function writePropertiesSection(out: Buffer, at: number, messageId: string, idBytes: number): number {
  at = writeSectionHead(out, at, SECTION.properties);
  at = writeCompoundHead(out, at, TYPE.list8, TYPE.list32, stringSize(idBytes), 1);
  return writeString(out, at, messageId, idBytes);
}

/** The elements of the application-properties map: their bytes and count, or undefined when a value is outside the shape. */
function mapElements(properties: Record<string, Property>): { bytes: number; count: number } | undefined {
  let bytes = 0;
  let count = 0;
  for (const key in properties) {
    const valueBytes = valueSize(properties[key]);
    if (valueBytes < 0) return undefined;
    bytes += stringSize(Buffer.byteLength(key)) + valueBytes;
    count += 2;
  }
  return { bytes, count };
}

/** The section's size: 0 when there is nothing to send, -1 when a value is outside the shape. */
function applicationPropertiesSize(properties: Record<string, Property>): number {
  const elements = mapElements(properties);
  if (!elements) return -1;
  return elements.count === 0 ? 0 : SECTION_HEAD_BYTES + compoundSize(elements.bytes, elements.count);
}

function writeApplicationProperties(out: Buffer, at: number, properties: Record<string, Property>): number {
  const { bytes, count } = mapElements(properties)!;
  at = writeSectionHead(out, at, SECTION.applicationProperties);
  at = writeCompoundHead(out, at, TYPE.map8, TYPE.map32, bytes, count);
  for (const key in properties) {
    at = writeString(out, at, key, Buffer.byteLength(key));
    at = writeValue(out, at, properties[key]);
  }
  return at;
}

/** Bytes a value takes, or -1 when it is outside the shape. */
function valueSize(value: Property): number {
  if (typeof value === 'string') return stringSize(Buffer.byteLength(value));
  if (typeof value === 'boolean') return 1;
  if (typeof value !== 'number') return -1;
  if (Number.isInteger(value)) return value >= MIN_INT32 && value <= MAX_INT32 ? 5 : -1;
  // Fractions and ±Infinity are doubles, as rhea writes them; NaN rhea writes as null, which is not a property value.
  return Number.isNaN(value) ? -1 : 9;
}

function writeValue(out: Buffer, at: number, value: Property): number {
  if (typeof value === 'string') return writeString(out, at, value, Buffer.byteLength(value));
  if (typeof value === 'boolean') {
    out[at] = value ? TYPE.true : TYPE.false;
    return at + 1;
  }
  if (Number.isInteger(value)) {
    out[at] = TYPE.int;
    out.writeInt32BE(value, at + 1);
    return at + 5;
  }
  out[at] = TYPE.double;
  out.writeDoubleBE(value, at + 1);
  return at + 9;
}

/** A compound (list or map): constructor, size (of the count and the elements), count, elements; the one-byte form when size and count fit a byte. */
function isShortCompound(elementsBytes: number, count: number): boolean {
  return elementsBytes + 1 <= MAX_SHORT && count <= MAX_SHORT;
}

function compoundSize(elementsBytes: number, count: number): number {
  return (isShortCompound(elementsBytes, count) ? 3 : 9) + elementsBytes;
}

function writeCompoundHead(out: Buffer, at: number, short: number, long: number, elementsBytes: number, count: number): number {
  if (isShortCompound(elementsBytes, count)) {
    out[at] = short;
    out[at + 1] = elementsBytes + 1;
    out[at + 2] = count;
    return at + 3;
  }
  out[at] = long;
  out.writeUInt32BE(elementsBytes + 4, at + 1);
  out.writeUInt32BE(count, at + 5);
  return at + 9;
}

function stringSize(byteLength: number): number {
  return (byteLength <= MAX_SHORT ? 2 : 5) + byteLength;
}

function writeString(out: Buffer, at: number, value: string, byteLength: number): number {
  if (byteLength <= MAX_SHORT) {
    out[at] = TYPE.str8;
    out[at + 1] = byteLength;
    at += 2;
  } else {
    out[at] = TYPE.str32;
    out.writeUInt32BE(byteLength, at + 1);
    at += 5;
  }
  return at + out.write(value, at, byteLength, 'utf8');
}
