import type { ActorRow } from './actor-row.ts';

/** One line of the page's event stream: what changed, where, as the observer saw it. */
export interface ObservedEvent {
  /** Increases by one per event, so a browser that reconnects can tell what it has seen. */
  seq: number;
  /** Milliseconds since the epoch, when the observer saw it. */
  at: number;
  node: string;
  address: string;
  kind: 'started' | 'stopped' | 'failed' | 'restarted' | 'dead-lettered' | 'rejected' | 'reply-dropped' | 'control-refused' | 'node-up' | 'node-down' | 'action' | 'refused';
  detail: string;
}

/** An event before the observer numbers it; `at` when it is the node's own time of it. */
export type EventDraft = Omit<ObservedEvent, 'seq' | 'at'> & { at?: number };

/**
 * For a node that does not answer `events` (an older one): what happened between two polls, read from its rows: a restart count that grew is
 * a restart, a state that changed is a start, a stop or a failure, a row that appeared or went
 * is a child started or removed. (Status is a sample, so two changes between polls show as one.)
 * Dead letters are counted from the queue, not from status: see `ObservedSystem`.
 */
export function changesBetween(before: ReadonlyMap<string, ActorRow>, after: readonly ActorRow[]): EventDraft[] {
  const events: EventDraft[] = [];
  const seen = new Set<string>();
  for (const row of after) {
    seen.add(row.key);
    const old = before.get(row.key);
    const at = { node: row.node, address: row.address };
    if (old === undefined) {
      if (before.size > 0) events.push({ ...at, kind: 'started', detail: `${row.kind} appeared (${row.state})` });
      continue;
    }
    if (row.restarts > old.restarts) events.push({ ...at, kind: 'restarted', detail: `restart #${row.restarts}${row.lastExit ? ` after ${row.lastExit}` : ''}` });
    else if (row.state !== old.state) events.push({ ...at, kind: stateEvent(row.state), detail: `${old.state} → ${row.state}` });
  }
  for (const [key, old] of before) {
    if (!seen.has(key)) events.push({ node: old.node, address: old.address, kind: 'stopped', detail: `${old.kind} removed` });
  }
  return events;
}

function stateEvent(state: string): EventDraft['kind'] {
  if (state === 'running') return 'started';
  if (state === 'failed') return 'failed';
  return 'stopped';
}
