/**
 * Room kept in front of an encoded message for the transfer frame that will carry it: the frame's
 * header and transfer performative (8 + 3 + 9 + six fields, with an 8-byte tag: under 64 bytes)
 * are written there, so the message is not copied into a new buffer behind them. At 64 KiB that
 * copy and the buffer it needs were a tenth of the hop's CPU.
 */
export const FRAME_HEADROOM_BYTES = 64;

/** The buffers made here: only these have the headroom, and only their maker writes into it. */
const withHeadroom = new WeakSet<Buffer>();

/** `size` bytes to write a message into, with the headroom in front of them. */
export function allocateWithHeadroom(size: number): Buffer {
  const buffer = Buffer.allocUnsafe(FRAME_HEADROOM_BYTES + size).subarray(FRAME_HEADROOM_BYTES);
  withHeadroom.add(buffer);
  return buffer;
}

/** The frame of `headerBytes` in front of `payload`, in the payload's own memory; undefined when it has no room kept for one. */
export function frameInHeadroom(payload: Buffer, headerBytes: number): Buffer | undefined {
  if (headerBytes > FRAME_HEADROOM_BYTES || !withHeadroom.has(payload)) return undefined;
  return Buffer.from(payload.buffer, payload.byteOffset - headerBytes, headerBytes + payload.length);
}
