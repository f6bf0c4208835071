import type { Duplex } from 'node:stream';
import type { Clock, Timer } from '../../../lib/ports/clock.ts';
import { CIRCUIT_LINGER_MS } from '../limits.ts';
import type { CircuitEnd } from '../registry/reservations.ts';

/** Which way a chunk goes: from the connecting party B to the reserved party C, or back. */
export type Direction = 'toC' | 'toB';

/**
 * Sees every chunk a circuit forwards, before it is written on; what it returns is what goes on.
 * For audits and tests (a canary capture, a flipped byte): the relay is still only a pipe, and
 * whatever a tap changes, end-to-end TLS refuses.
 */
export type CircuitTap = (direction: Direction, chunk: Buffer, circuit: string) => Buffer;

export interface SpliceOptions {
  clock: Clock;
  /** Bytes per direction at most; one more ends the circuit (`bytes`). */
  maxBytes: number;
  /** The circuit's longest life; then it ends (`duration`). 0: no limit. */
  maxDurationMs: number;
  /** How long an ended circuit waits for both sides to close before it destroys them. */
  lingerMs?: number;
  tap?: (direction: Direction, chunk: Buffer) => Buffer;
  /** Wraps the stream callbacks (the actor's `ctx.supervise`, so a throw crashes the circuit's actor only). */
  supervise?: <A extends unknown[]>(callback: (...args: A) => unknown) => (...args: A) => void;
  onEnd: (reason: CircuitEnd) => void;
}

/**
 * Copies bytes between two streams, both ways, with backpressure: when a write returns false the
 * reading side pauses until 'drain', so the relay holds at most what the two streams' buffers
 * hold (their high-water marks and a chunk), however slowly a party reads. Half closes travel
 * (an end on one side ends the other's writing side); the circuit is over when both sides ended,
 * either side errs or closes, or a limit is reached: then both sides are ended and, after a
 * short linger, destroyed.
 */
export class Splice {
  readonly bytes: Record<Direction, number> = { toC: 0, toB: 0 };
  private ended: CircuitEnd | undefined;
  private readonly halfClosed = new Set<Direction>();
  private durationTimer: Timer | undefined;
  private lingerTimer: Timer | undefined;
  private reported = false;

  constructor(
    private readonly b: Duplex,
    private readonly c: Duplex,
    private readonly options: SpliceOptions,
  ) {
    const supervise = options.supervise ?? (<A extends unknown[]>(callback: (...args: A) => unknown) => (...args: A) => void callback(...args));
    this.pump(b, c, 'toC', supervise);
    this.pump(c, b, 'toB', supervise);
    if (options.maxDurationMs > 0) this.durationTimer = options.clock.setTimer(options.maxDurationMs, supervise(() => this.end('duration')));
    b.resume();
    c.resume();
  }

  /** Bytes the relay holds for this circuit right now: unread on either side, unwritten on either side. */
  buffered(): number {
    return this.b.readableLength + this.b.writableLength + this.c.readableLength + this.c.writableLength;
  }

  get endedWith(): CircuitEnd | undefined {
    return this.ended;
  }

  /** Ends the circuit: both sides' writing ends, and both are destroyed once closed or after the linger. */
  end(reason: CircuitEnd): void {
    if (this.ended) return;
    this.ended = reason;
    this.durationTimer?.cancel();
    // Both sides keep being read (and what they send dropped), so each sees the other's FIN and closes.
    this.b.resume();
    this.c.resume();
    if (reason === 'error' || reason === 'relay' || (this.b.destroyed && this.c.destroyed)) return this.destroy();
    this.b.end();
    this.c.end();
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open === 0) this.destroy();
    };
    for (const stream of [this.b, this.c]) {
      if (stream.destroyed) closed();
      else stream.once('close', closed);
    }
    this.lingerTimer = this.options.clock.setTimer(this.options.lingerMs ?? CIRCUIT_LINGER_MS, () => this.destroy());
  }

  /** Destroys both streams at once and reports the end, once (an end's linger is over, or the actor stops). */
  destroy(): void {
    this.lingerTimer?.cancel();
    this.durationTimer?.cancel();
    this.b.destroy();
    this.c.destroy();
    if (this.reported) return;
    this.reported = true;
    this.ended ??= 'relay';
    this.options.onEnd(this.ended);
  }

  private pump(from: Duplex, to: Duplex, direction: Direction, supervise: NonNullable<SpliceOptions['supervise']>): void {
    let waiting = false;
    const resume = () => {
      waiting = false;
      if (!this.ended) from.resume();
    };
    from.on(
      'data',
      supervise((chunk: Buffer) => {
        if (this.ended) return;
        this.bytes[direction] += chunk.length;
        if (this.bytes[direction] > this.options.maxBytes) return this.end('bytes');
        const out = this.options.tap ? this.options.tap(direction, chunk) : chunk;
        if (!to.write(out) && !waiting) {
          waiting = true;
          from.pause();
          to.once('drain', resume);
        }
      }),
    );
    from.on(
      'end',
      supervise(() => {
        if (this.ended) return;
        this.halfClosed.add(direction);
        to.end();
        if (this.halfClosed.size === 2) this.end('closed');
      }),
    );
    from.on('error', () => this.end('error'));
    from.on('close', () => {
      if (!this.ended) this.end(this.halfClosed.has(direction) ? 'closed' : 'error');
    });
  }
}
