import type { DedupeMemory } from './dedupe-store.ts';

/**
 * Remembers the last `capacity` message ids, so an at-least-once transport can hand each
 * message to its handler once even when the broker redelivers it. Bounded: the oldest id is
 * forgotten first, which is the dedupe window the delivery guarantee speaks of. The default
 * `DedupeStore`: synchronous, and forgotten with its process (see dedupe-store.ts).
 */
export class DedupeWindow implements DedupeMemory {
  private readonly ids = new Set<string>();

  constructor(readonly capacity = 100_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id`; false when it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(ownCopy(id));
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}

/**
 * `id` in a string of its own. An id decoded from a frame is a slice of one string msgpackr
 * decoded the frame's strings into (its native extractor), so keeping the slice keeps that string
 * (~250 bytes for a split broker hop, more for bigger frames): a full window of them is ~30 MiB
 * per address where flat ids are ~6. One copy per handled message (~150 ns); an id UTF-8 cannot
 * carry (a lone surrogate) is kept as it is, so what `has` is asked always matches.
 */
function ownCopy(id: string): string {
  const copy = Buffer.from(id, 'utf8').toString('utf8');
  return copy === id ? copy : id;
}
