import { RingQueue } from './ring-queue.ts';

/** Cells run from one microtask before the queue yields to other microtasks (promise continuations). */
const BUDGET = 64;

/**
 * The default scheduler of a system's cells, as Erlang's run queue: a cell with messages waiting
 * joins the queue, and one microtask runs the queued cells in order (each drains up to its own
 * message budget), then those that became ready meanwhile, and yields after BUDGET of them by
 * queueing itself again. One microtask per cell was ~0.4 µs each: a ping-pong paid it for every
 * message, and the first message to each of 100,000 fresh actors for each of them.
 */
export class RunQueue {
  private readonly ready = new RingQueue<() => void>(Number.MAX_SAFE_INTEGER);
  private scheduled = false;

  readonly dispatch = (task: () => void): void => {
    this.ready.push(task);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.run);
  };

  private readonly run = (): void => {
    const ready = this.ready;
    try {
      for (let budget = BUDGET; budget > 0; budget--) {
        const task = ready.shift();
        if (task === undefined) break;
        task();
      }
    } finally {
      // Also after a throw (a task's own bug), so the cells behind it still run.
      if (ready.length > 0) queueMicrotask(this.run);
      else this.scheduled = false;
    }
  };
}
