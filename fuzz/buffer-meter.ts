/**
 * `largestBufferedBytes`, measured from the attacker's side: per connection, the bytes written
 * since the target's last complete answer; the largest such count over the run is what the target
 * had to hold (or was willing to) before it answered or cut the connection.
 */

/** The most the attacker writes in one go, so the target sees (and may refuse) the bytes as they come. */
export const WRITE_CHUNK_BYTES = 16 * 1024;

export class BufferMeter {
  largest = 0;

  /** A fresh count for one connection. */
  connection(): ConnectionMeter {
    return new ConnectionMeter(this);
  }

  note(pending: number): void {
    if (pending > this.largest) this.largest = pending;
  }
}

export class ConnectionMeter {
  private pending = 0;

  constructor(private readonly meter: BufferMeter) {}

  /** Bytes the target took (written to it while it was still reading). */
  wrote(bytes: number): void {
    this.pending += bytes;
    this.meter.note(this.pending);
  }

  /** The target answered everything written so far: nothing more is held on its behalf. */
  answered(): void {
    this.pending = 0;
  }
}

/**
 * Writes `bytes` in chunks of at most `WRITE_CHUNK_BYTES`, each counted once the socket took it,
 * then lets the event loop turn (the target runs in this process: it reads the chunk and its answer
 * arrives meanwhile), and stops early once `stop()` says the target answered or cut.
 */
export async function writeMetered(
  socket: { write(chunk: Uint8Array, done: (error?: Error | null) => void): boolean; destroyed: boolean },
  bytes: Uint8Array,
  meter: ConnectionMeter,
  stop: () => boolean = () => false,
): Promise<number> {
  let written = 0;
  for (let at = 0; at < bytes.byteLength && !stop() && !socket.destroyed; at += WRITE_CHUNK_BYTES) {
    const chunk = bytes.subarray(at, at + WRITE_CHUNK_BYTES);
    const ok = await new Promise<boolean>((resolve) => socket.write(chunk, (error) => resolve(!error)));
    if (!ok) break;
    meter.wrote(chunk.byteLength);
    written += chunk.byteLength;
    await loopTurns(3);
  }
  return written;
}

let zeroBytes = Buffer.alloc(0);

/**
 * `count` zero bytes, from one buffer shared by every unit (never written to): filler after a
 * unit that may desynchronise the stream, a few hundred KiB each time, made once rather than per unit.
 */
export function zeros(count: number): Buffer {
  if (zeroBytes.length < count) zeroBytes = Buffer.alloc(count);
  return zeroBytes.subarray(0, count);
}

/**
 * Three turns of the event loop: the target (in this process) reads a written chunk in the next
 * poll phase, answers, and the answer is read in the one after, so `stop()` sees it before the
 * attacker writes on.
 */
async function loopTurns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}
