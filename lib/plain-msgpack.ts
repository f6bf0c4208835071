import { MalformedFrameError } from './errors.ts';

/** The deepest nesting of arrays and maps a frame may hold; the envelope array is the first level. */
export const MAX_NESTING = 64;

/** What the next item of an open container is: any value (in an array), or a map's key or value. */
const ITEM = 0;
const KEY = 1;
const VALUE = 2;

/**
 * Per open container, the items still to read (a map counts keys and values) and what the next
 * one is. An explicit stack, so hostile nesting cannot overflow the call stack; shared, since a
 * check runs to its end synchronously and never re-enters.
 */
const left = new Float64Array(MAX_NESTING + 1);
const next = new Uint8Array(MAX_NESTING + 1);

const PROTO_KEY = [0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f]; // "__proto__"

/**
 * msgpackr decodes its built-in extensions (Date, Error, RegExp, Set, BigInt, typed arrays,
 * records, structured clones) whatever the Unpackr's options say, and its extension table is
 * global to the process. So bytes from outside are checked here first, in one pass over the
 * tokens that builds nothing: what passes decodes to plain data only (null, undefined, booleans,
 * numbers, strings, bin as Uint8Array, arrays, objects with string keys other than `__proto__`).
 * An extension is refused from its header, so a huge BigInt costs no more than a small one;
 * strings and bin are skipped, not read. Throws `MalformedFrameError`.
 */
export function checkPlainMsgpack(bytes: Uint8Array): void {
  const end = bytes.length;
  let position = 0;
  let depth = 0;
  left[0] = 1;
  next[0] = ITEM;
  for (;;) {
    while (left[depth] === 0) {
      if (depth === 0) {
        if (position !== end) throw notMsgpack('bytes after the value');
        return;
      }
      depth--;
    }
    left[depth]--;
    const item = next[depth];
    if (item !== ITEM) next[depth] = item === KEY ? VALUE : KEY;
    if (position >= end) throw truncated();
    const token = bytes[position++]!;
    let skip = 0; // bytes of payload after the token (and its length field)
    let count = -1; // items of a container that opens here
    let opens = ITEM; // what the first item of that container is
    if (token >= 0xa0 && token < 0xc0) {
      // fixstr, the commonest token (keys, ids, addresses): checked first
      skip = token & 0x1f;
      if (item === KEY && skip === PROTO_KEY.length && isProtoKey(bytes, position)) throw protoKey();
    } else if (item === KEY) {
      skip = keyLength(bytes, token, position);
      position += stringHeader(token);
      if (skip === PROTO_KEY.length && isProtoKey(bytes, position)) throw protoKey();
    } else if (token < 0x80 || token >= 0xe0) {
      // positive and negative fixint
    } else if (token < 0x90) {
      count = (token & 0x0f) * 2;
      opens = KEY;
    } else if (token < 0xa0) {
      count = token & 0x0f;
    } else {
      switch (token) {
        case 0xc0: // nil, false, true
        case 0xc2:
        case 0xc3:
          break;
        case 0xc4: // bin 8/16/32 and str 8/16/32
        case 0xc5:
        case 0xc6:
        case 0xd9:
        case 0xda:
        case 0xdb:
          skip = sizedLength(bytes, token, position);
          position += stringHeader(token);
          break;
        case 0xcc: // uint 8/16/32, int 8/16/32, float 32/64
        case 0xd0:
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          skip = 2;
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          skip = 4;
          break;
        case 0xcb:
          skip = 8;
          break;
        case 0xcf: // uint 64, int 64: only what a double holds exactly, so never a BigInt
        case 0xd3:
          checkInt64(bytes, position, token === 0xd3);
          skip = 8;
          break;
        case 0xdc: // array 16/32, map 16/32
          count = readUint(bytes, position, 2);
          position += 2;
          break;
        case 0xdd:
          count = readUint(bytes, position, 4);
          position += 4;
          break;
        case 0xde:
          count = readUint(bytes, position, 2) * 2;
          position += 2;
          opens = KEY;
          break;
        case 0xdf:
          count = readUint(bytes, position, 4) * 2;
          position += 4;
          opens = KEY;
          break;
        case 0xd4: // fixext 1 of type 0 is how msgpackr writes `undefined` (a void reply, an absent field)
          if (bytes[position] === 0) {
            skip = 2;
            break;
          }
          throw refusedExtension(bytes, token, position);
        case 0xc1:
          throw notMsgpack('byte 0xc1 is never used in msgpack');
        default: // ext 8/16/32, fixext 1/2/4/8/16
          throw refusedExtension(bytes, token, position);
      }
    }
    if (skip > end - position) throw truncated();
    position += skip;
    if (count >= 0) {
      if (depth === MAX_NESTING) throw new MalformedFrameError(`nesting deeper than ${MAX_NESTING}`);
      // Every value takes at least one byte: a count the remaining bytes cannot hold is a lie.
      if (count > end - position) throw notMsgpack('a container claims more items than the frame holds');
      if (count === 0) continue;
      depth++;
      left[depth] = count;
      next[depth] = opens;
    }
  }
}

/** A map key that is not a fixstr must be a str 8/16/32 (objects get string keys): its byte length. */
function keyLength(bytes: Uint8Array, token: number, position: number): number {
  if (token === 0xd9 || token === 0xda || token === 0xdb) return sizedLength(bytes, token, position);
  throw new MalformedFrameError('a map key is not a string');
}

/** Bytes of the length field after a str/bin token. */
function stringHeader(token: number): number {
  if (token === 0xc4 || token === 0xd9) return 1;
  if (token === 0xc5 || token === 0xda) return 2;
  if (token === 0xc6 || token === 0xdb) return 4;
  return 0;
}

function sizedLength(bytes: Uint8Array, token: number, position: number): number {
  return readUint(bytes, position, stringHeader(token));
}

/** A big-endian unsigned integer of `size` bytes; past the end is a truncated frame. */
function readUint(bytes: Uint8Array, position: number, size: number): number {
  if (position + size > bytes.length) throw truncated();
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + bytes[position + i]!;
  return value;
}

/** |n| ≤ 2^53: the high 32 bits, signed for int 64, lie within ±2^21. */
function checkInt64(bytes: Uint8Array, position: number, signed: boolean): void {
  let high = readUint(bytes, position, 4);
  if (signed && high >= 0x80000000) high -= 0x100000000;
  if (high >= 0x200000 || high < -0x200000) throw new MalformedFrameError('a 64-bit integer does not fit a double exactly');
}

function isProtoKey(bytes: Uint8Array, position: number): boolean {
  for (let i = 0; i < PROTO_KEY.length; i++) if (bytes[position + i] !== PROTO_KEY[i]) return false;
  return true;
}

/** Refused from the header alone; the message names the type, signed as msgpack defines it (the timestamp is -1). */
function refusedExtension(bytes: Uint8Array, token: number, position: number): MalformedFrameError {
  const lengthBytes = token === 0xc7 ? 1 : token === 0xc8 ? 2 : token === 0xc9 ? 4 : 0;
  const type = bytes[position + lengthBytes];
  const name = type === undefined ? 'of unknown type' : `type ${(type << 24) >> 24}`;
  return new MalformedFrameError(`msgpack extension ${name} is not plain data`);
}

function protoKey(): MalformedFrameError {
  return new MalformedFrameError("a map has the key '__proto__'");
}

function truncated(): MalformedFrameError {
  return notMsgpack('the frame ends inside a value');
}

/** Bytes that are not msgpack at all keep the reason they always had; the detail is the cause. */
function notMsgpack(detail: string): MalformedFrameError {
  return new MalformedFrameError('not msgpack', new Error(detail));
}
