/** Slots allocated by the first push: small, so an actor that got one message costs little memory. */
const FIRST_SLOTS = 2;
/** What every queue holds before its first push: one shared empty array, never written to (`grow` replaces it). */
const NONE: never[] = [];

/**
 * A first-in first-out queue on a ring buffer: `push` and `shift` are O(1) with no shifting of
 * the items behind (`Array.prototype.shift` is O(n) on large arrays). The buffer is allocated on
 * the first push and doubles up to `maxLength`, so a queue never used (a mailbox's waiting
 * senders under `reject`) costs nothing; the owner keeps the queue within `maxLength` (it decides
 * what happens to one more item).
 */
export class RingQueue<T> {
  private items: (T | undefined)[] = NONE;
  private head = 0;
  private count = 0;

  constructor(private readonly maxLength: number) {}

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    let tail = this.head + this.count;
    if (tail >= this.items.length) tail -= this.items.length;
    this.items[tail] = item;
    this.count++;
  }

  /** The oldest item, or undefined when the queue is empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    // A compare instead of `%`: an integer division per item is measurable on the mailbox's path.
    if (++this.head === this.items.length) this.head = 0;
    this.count--;
    return item;
  }

  private grow(): void {
    const next = new Array(Math.max(1, Math.min(this.items.length * 2 || FIRST_SLOTS, this.maxLength)));
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
