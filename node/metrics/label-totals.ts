import { LatencyHistogram, type ActorStats, type Address } from '../../lib/index.ts';

/** What one `actor` label exports: sums over the actors it covers. */
export interface LabelFigures {
  /** Gauges: of the actors alive now. */
  depth: number;
  capacity: number;
  actors: number;
  /** Counters: since the node started, actors gone included. */
  received: number;
  handled: number;
  failed: number;
  crashes: number;
  refused: number;
  deadLettered: number;
  restarts: number;
  asks: LatencyHistogram;
}

type Counted = 'received' | 'handled' | 'failed' | 'crashes' | 'refused' | 'deadLettered' | 'restarts';
const COUNTED: readonly Counted[] = ['received', 'handled', 'failed', 'crashes', 'refused', 'deadLettered', 'restarts'];

function emptyFigures(): LabelFigures {
  return { depth: 0, capacity: 0, actors: 0, received: 0, handled: 0, failed: 0, crashes: 0, refused: 0, deadLettered: 0, restarts: 0, asks: new LatencyHistogram() };
}

/**
 * Sums actors' live figures per label, so that a label's counters only ever grow: an actor's
 * counters live in its cell and go with it (a dynamic child that ends, an address started
 * anew), so its last reading is kept as the label's `retired` part. An actor is known gone when
 * its address is missing from a reading, or comes back with smaller counters (a new cell);
 * what it counted between the last scrape and its end is read from its histogram's live object
 * for asks, and lost for the plain counters (at most one scrape interval of one actor).
 */
export class LabelTotals {
  private readonly retired = new Map<string, LabelFigures>();
  private lastSeen = new Map<Address, { label: string; stats: ActorStats }>();

  update(readings: readonly ActorStats[], labelOf: (address: Address) => string): Map<string, LabelFigures> {
    const seen = new Map<Address, { label: string; stats: ActorStats }>();
    const totals = new Map<string, LabelFigures>();
    for (const stats of readings) {
      const label = labelOf(stats.address);
      const before = this.lastSeen.get(stats.address);
      if (before && restartedFromZero(before.stats, stats)) this.retire(before.label, before.stats);
      seen.set(stats.address, { label, stats });
      add(figuresOf(totals, label), stats, true);
    }
    for (const [address, before] of this.lastSeen) if (!seen.has(address)) this.retire(before.label, before.stats);
    this.lastSeen = seen;
    for (const [label, gone] of this.retired) {
      const figures = figuresOf(totals, label);
      for (const key of COUNTED) figures[key] += gone[key];
      figures.asks.add(gone.asks);
    }
    return totals;
  }

  private retire(label: string, stats: ActorStats): void {
    add(figuresOf(this.retired, label), stats, false);
  }
}

function figuresOf(map: Map<string, LabelFigures>, label: string): LabelFigures {
  let figures = map.get(label);
  if (!figures) map.set(label, (figures = emptyFigures()));
  return figures;
}

function add(figures: LabelFigures, stats: ActorStats, alive: boolean): void {
  for (const key of COUNTED) figures[key] += stats[key];
  figures.asks.add(stats.asks);
  if (!alive) return;
  figures.actors++;
  figures.depth += stats.mailbox.depth;
  figures.capacity += stats.mailbox.capacity;
}

/** A reading smaller than the last one: another cell at the same address, counting from zero. */
function restartedFromZero(before: ActorStats, now: ActorStats): boolean {
  return now.received < before.received || now.handled < before.handled || now.incarnation < before.incarnation;
}
