/**
 * Remembers the last `capacity` message ids, so an at-least-once transport can hand each
 * message to its handler once even when the broker redelivers it. Bounded: the oldest id is
 * forgotten first, which is the dedupe window the delivery guarantee speaks of.
 */
export class DedupeWindow {
  private readonly ids = new Set<string>();

  constructor(readonly capacity = 100_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id`; false when it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
