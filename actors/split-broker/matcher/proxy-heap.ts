/** What a heap needs of a waiting proxy: its load, its arrival order and its slot. */
export interface HeapEntry {
  /** Clients the proxy reported serving; fewer sorts first. */
  readonly clients: number;
  /** Arrival order: among equally loaded proxies the one waiting longest goes first. */
  readonly seq: number;
  /** Position in its heap, -1 when in none (kept by the heap, like Snowflake's `index`). */
  index: number;
}

/**
 * A binary min-heap of waiting proxies ordered by reported client count (Snowflake's
 * `snowflake-heap.go`), with removal by position so that a proxy whose poll timed out leaves
 * at once. Ties go to the earlier arrival, so the order is deterministic under a seed.
 */
export class ProxyHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: T): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  /** Takes the least-loaded proxy, or undefined when none waits. */
  pop(): T | undefined {
    return this.items.length === 0 ? undefined : this.removeAt(0);
  }

  /** Takes `entry` out wherever it is; a no-op when it is not in this heap. */
  remove(entry: T): void {
    if (entry.index >= 0 && this.items[entry.index] === entry) this.removeAt(entry.index);
  }

  private removeAt(index: number): T {
    const last = this.items.length - 1;
    this.swap(index, last);
    const entry = this.items.pop() as T;
    entry.index = -1;
    if (index < last) {
      this.down(index);
      this.up(index);
    }
    return entry;
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    return a.clients < b.clients || (a.clients === b.clients && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    a.index = j;
    b.index = i;
  }

  private up(index: number): void {
    for (let child = index; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!this.less(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private down(index: number): void {
    for (let parent = index; ; ) {
      const left = 2 * parent + 1;
      if (left >= this.items.length) return;
      const right = left + 1;
      const child = right < this.items.length && this.less(right, left) ? right : left;
      if (!this.less(child, parent)) return;
      this.swap(child, parent);
      parent = child;
    }
  }
}
