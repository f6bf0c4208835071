import { TimerQueue, type Clock, type Timer } from '../../lib/index.ts';

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
  private readonly queue = new TimerQueue();
  fired = 0;

  /** `tieBreak` must come from the seed: it decides the order of simultaneous events. */
  constructor(private readonly tieBreak: () => number) {}

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): Timer {
    return this.queue.add(this.current + Math.max(0, delayMs), this.tieBreak(), fire);
  }

  /** Runs `task` at the current instant, after the events already due (in seeded order). */
  readonly dispatch = (task: () => void): void => {
    this.queue.add(this.current, this.tieBreak(), task);
  };

  /** When the next live event is due, or undefined when none is. */
  nextDue(): number | undefined {
    return this.queue.nextDue();
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
      this.fired++;
      this.queue.take()!.fire();
    }
  }
}
