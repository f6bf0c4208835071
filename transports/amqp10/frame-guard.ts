import type { Duplex } from 'node:stream';
import { MIN_FRAME_BYTES } from './limits.ts';

/** "AMQP": the 4 bytes that open a protocol header, and 1,095,586,128 when read as a frame size. */
const HEADER_MAGIC = 0x414d5150;
const HEADER_BYTES = 8;
const AMQP_PROTOCOL_ID = 0;
const SASL_PROTOCOL_ID = 3;
/** No bytes of a boundary held over from the last chunk. */
const NOTHING: Buffer = Buffer.alloc(0);

export interface FrameGuardOptions {
  maxFrameBytes: number;
  /**
   * Whether the peer may open with a SASL layer (rhea's server offers SASL ANONYMOUS to whoever asks;
   * mutual TLS has authenticated the peer already). The AMQP header is then allowed once more, after
   * the first SASL frame, where the SASL exchange hands over to AMQP.
   */
  sasl: boolean;
}

/**
 * Watches the AMQP 1.0 bytes arriving on `socket` and calls `refuse` (once) with the reason as soon
 * as they break the framing the protocol allows: a frame size under 8 or over `maxFrameBytes`, or a
 * protocol header anywhere but where the protocol puts one. rhea advertises `max_frame_size` but
 * buffers a frame of any size it is told of; and it reads "AMQP" at a frame boundary as a
 * 1,095,586,128-byte frame. Reading only the 4-byte size at each frame boundary, this costs a few
 * operations per frame. First in line, so the socket is cut before the next chunk reaches rhea.
 */
export function guardFrames(socket: Duplex, options: FrameGuardOptions, refuse: (reason: string) => void): void {
  const reader = new FrameBoundaries(options);
  const watch = (chunk: Buffer): void => {
    const reason = reader.take(chunk);
    if (reason === undefined) return;
    socket.off('data', watch);
    refuse(reason);
  };
  socket.prependListener('data', watch);
}

/** Where the stream stands: before the first header, in the SASL layer, or in the AMQP layer (no header ever again). */
type Layer = 'start' | 'sasl' | 'amqp';

/** The frame boundaries of one connection's incoming bytes, checked as they come. */
class FrameBoundaries {
  private layer: Layer = 'start';
  private saslFrames = 0;
  /** Bytes of the frame (or header) under way still to skip. */
  private remaining = 0;
  /** The first bytes of a size or header split across chunks. */
  private partial: Buffer = NOTHING;
  /** Where in the connection the size or header being read starts. */
  private at = 0;
  private consumed = 0;

  constructor(private readonly options: FrameGuardOptions) {}

  /** The reason the chunk breaks the framing, or undefined when it does not. */
  take(chunk: Buffer): string | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skipped = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skipped;
        offset += skipped;
        continue;
      }
      const wanted = this.wanted();
      if (this.partial.length === 0) this.at = this.consumed + offset;
      // Most boundaries lie whole in one chunk: read them in place, nothing copied or allocated.
      if (this.partial.length === 0 && offset + wanted <= chunk.length) {
        const reason = this.boundary(chunk, offset, wanted);
        offset += wanted;
        if (reason !== undefined) return reason;
        continue;
      }
      const part = chunk.subarray(offset, offset + wanted - this.partial.length);
      offset += part.length;
      this.partial = this.partial.length === 0 ? part : Buffer.concat([this.partial, part]);
      if (this.partial.length < wanted) break;
      const reason = this.boundary(this.partial, 0, wanted);
      this.partial = NOTHING;
      if (reason !== undefined) return reason;
    }
    this.consumed += chunk.length;
    return undefined;
  }

  /** 8 bytes where a header may stand (a header or, later, a frame size), else the 4 of a frame size. */
  private wanted(): number {
    return this.headerAllowed() ? HEADER_BYTES : 4;
  }

  private headerAllowed(): boolean {
    return this.layer === 'start' || (this.layer === 'sasl' && this.saslFrames > 0);
  }

  /** Checks what stands at a boundary (`length` bytes at `start`); sets how much of it to skip. */
  private boundary(bytes: Buffer, start: number, length: number): string | undefined {
    const size = bytes.readUInt32BE(start);
    if (this.layer === 'start') return this.header(bytes, start);
    if (size === HEADER_MAGIC && this.layer === 'sasl' && this.saslFrames > 0) return this.header(bytes, start);
    if (size === HEADER_MAGIC) return `a protocol header at byte ${this.at} of the connection, where only a frame may stand`;
    if (size < MIN_FRAME_BYTES) return `a frame size of ${size} bytes is invalid (minimum ${MIN_FRAME_BYTES})`;
    if (size > this.options.maxFrameBytes) return `a frame of ${size} bytes announced, over the ${this.options.maxFrameBytes}-byte limit`;
    if (this.layer === 'sasl') this.saslFrames++;
    this.remaining = size - length;
    return undefined;
  }

  /** A protocol header: AMQP 1.0.0 (protocol id 0), or SASL (3) first when allowed. */
  private header(bytes: Buffer, start: number): string | undefined {
    const [major, minor, revision] = [bytes[start + 5], bytes[start + 6], bytes[start + 7]];
    if (bytes.readUInt32BE(start) !== HEADER_MAGIC || major !== 1 || minor !== 0 || revision !== 0) {
      return `not an AMQP 1.0 protocol header at byte ${this.at} of the connection`;
    }
    const protocol = bytes[start + 4];
    if (protocol === AMQP_PROTOCOL_ID) this.layer = 'amqp';
    else if (protocol === SASL_PROTOCOL_ID && this.options.sasl && this.layer === 'start') this.layer = 'sasl';
    else return `a protocol header for protocol id ${protocol} at byte ${this.at} of the connection, where it is not allowed`;
    return undefined;
  }
}

/** rhea's connection, as far as the backstop reads it: the size of the frame it is waiting to complete. */
interface PendingFrame {
  frame_size?: number;
}

/**
 * The backstop behind the guard: after rhea has read each chunk, the frame it waits to complete must
 * be within the limit. It catches what the byte reader cannot see, such as rhea reading the
 * AMQP header of a pipelined SASL exchange as a frame size (its SASL outcome is decided a tick late).
 */
export function guardPendingFrame(socket: Duplex, connection: unknown, maxFrameBytes: number, refuse: (reason: string) => void): void {
  const pending = connection as PendingFrame;
  const check = (): void => {
    const size = pending.frame_size;
    if (size === undefined || size <= maxFrameBytes) return;
    socket.off('data', check);
    refuse(`a frame of ${size} bytes awaited, over the ${maxFrameBytes}-byte limit`);
  };
  socket.on('data', check);
}
