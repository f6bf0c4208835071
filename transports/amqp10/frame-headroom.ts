/**
 * Room kept in front of an encoded message for the transfer frame that will carry it: the frame's
 * header and transfer performative (8 + 3 + 9 + six fields, with an 8-byte tag: under 64 bytes)
 * are written there, so the message is not copied into a new buffer behind them. At 64 KiB that
 * copy and the buffer it needs were a tenth of the hop's CPU.
 */
export const FRAME_HEADROOM_BYTES = 64;
/**
 * Messages under this size are copied behind their frame instead: a copy of a few hundred bytes
 * costs less than marking the buffer (a WeakSet entry per message was 5 % of the CPU at 200 B).
 * 4 KiB is also where Node stops cutting `allocUnsafe` buffers from its shared pool.
 */
export const MIN_IN_PLACE_BYTES = 4 * 1024;

/** The buffers made here: only these have the headroom, and only their maker writes into it. */
const withHeadroom = new WeakSet<Buffer>();

/** `size` bytes to write a message into, with the headroom in front of them when the message is large. */
export function allocateWithHeadroom(size: number): Buffer {
  if (size < MIN_IN_PLACE_BYTES) return Buffer.allocUnsafe(size);
  const buffer = Buffer.allocUnsafe(FRAME_HEADROOM_BYTES + size).subarray(FRAME_HEADROOM_BYTES);
  withHeadroom.add(buffer);
  return buffer;
}

/** The frame of `headerBytes` in front of `payload`, in the payload's own memory; undefined when it has no room kept for one. */
export function frameInHeadroom(payload: Buffer, headerBytes: number): Buffer | undefined {
  if (headerBytes > FRAME_HEADROOM_BYTES || !withHeadroom.has(payload)) return undefined;
  return Buffer.from(payload.buffer, payload.byteOffset - headerBytes, headerBytes + payload.length);
}
