import type { Clock, Timer } from '../../lib/index.ts';

/** One thing that will happen in the simulated world. */
interface SimEvent {
  at: number;
  /** Seeded tie-break among events due at the same instant. */
  order: number;
  fire: () => void;
  cancelled: boolean;
}

/** How a run of the event loop ended. */
export type RunOutcome = 'idle' | 'deadline' | 'event-limit';

/** Lets every pending promise continuation and `process.nextTick` run (a macrotask turn). */
const drainAll = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The world's one event queue and its virtual clock. Every timer, every cell drain and every
 * network hop is an event here; events due at the same instant fire in an order drawn from the
 * seed, so the same seed interleaves the same way and no real time is ever waited for.
 */
export class SimScheduler implements Clock {
  private current = 0;
  private readonly heap: SimEvent[] = [];
  fired = 0;

  /** `tieBreak` must come from the seed: it decides the order of simultaneous events. */
  constructor(private readonly tieBreak: () => number) {}

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): Timer {
    const event: SimEvent = { at: this.current + Math.max(0, delayMs), order: this.tieBreak(), fire, cancelled: false };
    this.push(event);
    return { cancel: () => void (event.cancelled = true) };
  }

  /** Runs `task` at the current instant, after the events already due (in seeded order). */
  readonly dispatch = (task: () => void): void => {
    this.push({ at: this.current, order: this.tieBreak(), fire: task, cancelled: false });
  };

  /** When the next live event is due, or undefined when none is. */
  nextDue(): number | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /**
   * Fires events in time order until none is left, the next is past `deadline`, or `maxEvents`
   * fired. Events of one instant fire back to back; between instants promise continuations get
   * a few turns (cheap), and before concluding the world is idle they get a full macrotask turn.
   */
  async run(deadline: number, maxEvents = Number.POSITIVE_INFINITY, fullDrain = () => false): Promise<RunOutcome> {
    for (;;) {
      let next = this.nextDue();
      if (next === undefined) {
        await drainAll();
        next = this.nextDue();
        if (next === undefined) return 'idle';
      }
      if (next > deadline) {
        this.current = Math.max(this.current, deadline);
        return 'deadline';
      }
      if (this.fired >= maxEvents) return 'event-limit';
      this.current = Math.max(this.current, next);
      this.fireInstant(next);
      if (fullDrain()) await drainAll();
      else for (let turn = 0; turn < 6; turn++) await null;
    }
  }

  private fireInstant(at: number): void {
    for (let due = this.nextDue(); due === at; due = this.nextDue()) {
      const event = this.pop()!;
      this.fired++;
      event.fire();
    }
  }

  private before(a: SimEvent, b: SimEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(event: SimEvent): void {
    const heap = this.heap;
    heap.push(event);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): SimEvent | undefined {
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
