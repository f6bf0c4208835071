import type { Duplex } from 'node:stream';

/** The 4 bytes "AMQP" that open a protocol header where a frame size would stand. */
const PROTOCOL_HEADER_MAGIC = 0x414d5150;
const PROTOCOL_HEADER_BYTES = 8;
/** An AMQP frame: 4-byte size, data offset, type, channel; the size counts itself. */
const MIN_FRAME_BYTES = 8;

/**
 * Watches the AMQP 1.0 byte stream arriving on `socket` and calls `refuse` as soon as a frame
 * announces more than `maxFrameBytes`. rhea advertises `max_frame_size` but does not enforce it
 * on what it receives: it would buffer a frame of any announced size before our own size checks
 * run. Reading only the 4-byte size at each frame boundary (and skipping the 8-byte protocol
 * headers that open the SASL and AMQP layers), this costs a few operations per frame.
 */
export function guardFrameSizes(socket: Duplex, maxFrameBytes: number, refuse: (announced: number) => void): void {
  let remaining = 0;
  let sizeBytes: Buffer | undefined;
  let refused = false;
  const watch = (chunk: Buffer): void => {
    let offset = 0;
    while (!refused && offset < chunk.length) {
      if (remaining > 0) {
        const skipped = Math.min(remaining, chunk.length - offset);
        remaining -= skipped;
        offset += skipped;
        continue;
      }
      const wanted = 4 - (sizeBytes?.length ?? 0);
      const part = chunk.subarray(offset, offset + wanted);
      offset += part.length;
      sizeBytes = sizeBytes ? Buffer.concat([sizeBytes, part]) : part;
      if (sizeBytes.length < 4) return;
      const size = sizeBytes.readUInt32BE(0);
      sizeBytes = undefined;
      if (size === PROTOCOL_HEADER_MAGIC) remaining = PROTOCOL_HEADER_BYTES - 4;
      else if (size >= MIN_FRAME_BYTES && size <= maxFrameBytes) remaining = size - 4;
      else {
        refused = true;
        socket.off('data', watch);
        refuse(size);
      }
    }
  };
  // First in line, so a refusal ends the socket before rhea has buffered more than this chunk.
  socket.prependListener('data', watch);
}
