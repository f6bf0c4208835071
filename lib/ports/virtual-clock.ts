import type { Clock, Timer } from './clock.ts';

interface Scheduled {
  at: number;
  order: number;
  fire: () => void;
  cancelled: boolean;
}

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
  private readonly heap: Scheduled[] = [];
  private readonly tieBreaker: () => number;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? 0;
    this.tieBreaker = options.tieBreaker ?? (() => this.sequence++);
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): Timer {
    const entry: Scheduled = { at: this.current + Math.max(0, delayMs), order: this.tieBreaker(), fire, cancelled: false };
    this.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** How many timers are still pending. */
  get pending(): number {
    return this.heap.filter((entry) => !entry.cancelled).length;
  }

  /** When the next pending timer is due, or undefined when none is. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
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

  /** Fires timers until none is left (or `limit` fired, against runaway periodic timers). */
  async runAll(limit = 100_000): Promise<number> {
    let fired = 0;
    await settle();
    while (this.nextDue() !== undefined && fired < limit) {
      this.fireNext();
      fired++;
      await settle();
    }
    return fired;
  }

  /** Fires the next due timer synchronously; for schedulers that drive microtasks themselves. */
  fireNext(): boolean {
    this.dropCancelled();
    const entry = this.pop();
    if (!entry) return false;
    this.current = Math.max(this.current, entry.at);
    entry.fire();
    return true;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
  }

  private before(a: Scheduled, b: Scheduled): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(entry: Scheduled): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && this.before(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}
