import type { Clock, Timer } from './clock.ts';
import { TimerQueue } from './timer-queue.ts';

export interface VirtualClockOptions {
  /** Start time in ms (default 0). */
  start?: number;
  /**
   * Orders timers due at the same instant. The default is first scheduled, first fired; a
   * simulation passes a seeded source so that ties are broken the same way for the same seed.
   */
  tieBreaker?: () => number;
}

/** Lets pending promise continuations run, so that work a timer started can schedule more. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told to. Timers fire in time order, with no real waiting:
 * `await clock.advance(5_000)` runs five virtual seconds of timers in microseconds.
 */
export class VirtualClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly queue = new TimerQueue();
  private readonly tieBreaker: () => number;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? 0;
    this.tieBreaker = options.tieBreaker ?? (() => this.sequence++);
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): Timer {
    return this.queue.add(this.current + Math.max(0, delayMs), this.tieBreaker(), fire);
  }

  /** How many timers are still pending. */
  get pending(): number {
    return this.queue.size;
  }

  /** When the next pending timer is due, or undefined when none is. */
  nextDue(): number | undefined {
    return this.queue.nextDue();
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (let next = this.nextDue(); next !== undefined && next <= target; next = this.nextDue()) {
      this.fireNext();
      await settle();
    }
    this.current = Math.max(this.current, target);
  }

  /** Fires the next due timer synchronously; for schedulers that drive microtasks themselves. */
  fireNext(): boolean {
    const entry = this.queue.take();
    if (!entry) return false;
    this.current = Math.max(this.current, entry.at);
    entry.fire();
    return true;
  }
}
