import type { Timer } from './clock.ts';

interface Scheduled {
  at: number;
  /** Breaks ties between entries due at the same instant: lower fires first. */
  order: number;
  fire: () => void;
  cancelled: boolean;
}

/**
 * A binary min-heap of callbacks keyed by (due time, order): the one event queue behind the
 * virtual clock and the simulation's scheduler. Cancelled entries are dropped lazily.
 */
export class TimerQueue {
  private readonly heap: Scheduled[] = [];

  add(at: number, order: number, fire: () => void): Timer {
    const entry: Scheduled = { at, order, fire, cancelled: false };
    this.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** When the next live entry is due, or undefined when none is. */
  nextDue(): number | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /** Removes the next live entry and returns its callback. */
  take(): { at: number; fire: () => void } | undefined {
    if (this.nextDue() === undefined) return undefined;
    return this.pop();
  }

  /** Live entries (O(n): for tests and status, not hot paths). */
  get size(): number {
    return this.heap.filter((entry) => !entry.cancelled).length;
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
