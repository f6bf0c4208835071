import type { Subscription } from 'rxjs';
import { errorMessage, isWithin, type ActorSystem, type SystemEvent } from '../../lib/index.ts';

/** How many of a node's recent events it keeps for `events` requests: an observer polling every second loses none below ~1,000 a second. */
export const EVENT_LOG_CAPACITY = 1_000;
/** Most events one `events` reply carries, so a reply stays small over any transport. */
export const MAX_EVENTS_PAGE = 500;

/** One system event as it crosses a process boundary: plain text, no envelope or frame (never a message's body). */
export interface LoggedEvent {
  /** Increases by one per event of this log: ask for those after the last one seen. */
  seq: number;
  at: number;
  kind: SystemEvent['kind'];
  address: string;
  detail: string;
}

/**
 * A node's recent system events (lifecycle, dead letters, dropped replies, refused control
 * requests), for observers that ask over the control plane. Bounded: the oldest go first. `epoch`
 * tells one node's life from the next, whose `seq` starts again.
 */
export class EventLog {
  readonly epoch: string;
  private readonly entries: LoggedEvent[] = [];
  private seq = 0;
  private readonly subscription: Subscription;

  constructor(system: ActorSystem, private readonly node: string, private readonly capacity = EVENT_LOG_CAPACITY) {
    this.epoch = `${system.clock.now().toString(36)}-${system.random.id()}`;
    this.subscription = system.events.subscribe((event) => this.add(event));
  }

  /** Events after `after` (all kept ones without it), oldest first, at most `limit`; `next` is set when more follow. */
  since(after = 0, limit = MAX_EVENTS_PAGE): { events: LoggedEvent[]; next?: number } {
    const first = this.entries.findIndex((entry) => entry.seq > after);
    if (first < 0) return { events: [] };
    const events = this.entries.slice(first, first + limit);
    return first + limit < this.entries.length ? { events, next: events.at(-1)!.seq } : { events };
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private add(event: SystemEvent): void {
    // The node's own events only (a process may run several nodes on one system).
    if (event.address && !isWithin(event.address, this.node)) return;
    this.entries.push({ seq: ++this.seq, at: event.at, kind: event.kind, address: event.address, detail: detail(event) });
    if (this.entries.length > this.capacity) this.entries.shift();
  }
}

function detail(event: SystemEvent): string {
  switch (event.kind) {
    case 'failed':
      return event.error.message;
    case 'restarted':
      return `restart #${event.restarts}`;
    case 'stopped':
      return event.reason.kind === 'shutdown' && 'error' in event.reason ? `shutdown: ${(event.reason.error as { code?: string }).code ?? event.reason.error.message}` : event.reason.kind;
    case 'dead-lettered':
    case 'rejected':
    case 'reply-dropped':
      return `${(event.reason as { code?: string }).code ?? 'ERROR'}: ${errorMessage(event.reason)}`;
    case 'control-refused':
      return `${event.request}${event.from ? ` from ${event.from}` : ''}: ${(event.reason as { code?: string }).code ?? errorMessage(event.reason)}`;
    default:
      return '';
  }
}
