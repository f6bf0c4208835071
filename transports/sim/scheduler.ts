import { TimerQueue, type Clock, type Timer } from '../../lib/index.ts';

/** Timers still waiting under one label: how many, and when the first is due. */
export interface PendingTimers {
  readonly label: string;
  readonly count: number;
  readonly nextAt: number;
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
  private readonly queue = new TimerQueue();
  /** Labelled timers not yet fired nor cancelled, so a run that never settles can say what kept it busy. */
  private readonly labelled = new Set<{ readonly label: string; readonly at: number }>();
  fired = 0;

  /** `tieBreak` must come from the seed: it decides the order of simultaneous events. */
  constructor(private readonly tieBreak: () => number) {}

  now(): number {
    return this.current;
  }

  /** `label` names who set it (a node, an actor) for `pendingTimers`. */
  setTimer(delayMs: number, fire: () => void, label?: string): Timer {
    const at = this.current + Math.max(0, delayMs);
    if (label === undefined) return this.queue.add(at, this.tieBreak(), fire);
    const entry = { label, at };
    this.labelled.add(entry);
    const timer = this.queue.add(at, this.tieBreak(), () => {
      this.labelled.delete(entry);
      fire();
    });
    return { cancel: () => (this.labelled.delete(entry), timer.cancel()) };
  }

  /** The labelled timers still waiting, grouped by label, most numerous first. */
  pendingTimers(): PendingTimers[] {
    const groups = new Map<string, { count: number; nextAt: number }>();
    for (const { label, at } of this.labelled) {
      const group = groups.get(label);
      groups.set(label, group ? { count: group.count + 1, nextAt: Math.min(group.nextAt, at) } : { count: 1, nextAt: at });
    }
    return [...groups].map(([label, group]) => ({ label, ...group })).sort((a, b) => b.count - a.count || a.nextAt - b.nextAt);
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
