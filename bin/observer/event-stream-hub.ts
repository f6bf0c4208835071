import type { ServerResponse } from 'node:http';
import type { ActorRow } from './actor-row.ts';
import type { Change, ObservedSystem } from './observed-system.ts';
import { PUSH_INTERVAL_MS, STREAM_KEEPALIVE_MS } from './observer-limits.ts';

/**
 * The browsers' event streams (server-sent events). A browser gets the whole picture once when
 * it connects (`snapshot`), then `update`s: the changes of every poll since the last push,
 * merged into one batch and sent at most every `PUSH_INTERVAL_MS` to all browsers at once, so a
 * burst of changes costs the page a few renders a second, not one per change.
 */
export class EventStreamHub {
  private readonly streams = new Set<ServerResponse>();
  private pending: Change | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly keepalive: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;

  constructor(private readonly system: ObservedSystem, private readonly pushIntervalMs: number = PUSH_INTERVAL_MS) {
    this.unsubscribe = system.onChange((change) => this.queue(change));
    this.keepalive = setInterval(() => this.broadcast(': keepalive\n\n'), STREAM_KEEPALIVE_MS);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Takes over `response` as an event stream; it ends when the browser goes. */
  attach(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(frame('snapshot', this.system.snapshot()));
    this.streams.add(response);
    response.on('close', () => this.streams.delete(response));
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.keepalive);
    clearTimeout(this.timer);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  private queue(change: Change): void {
    this.pending = this.pending ? merge(this.pending, change) : change;
    this.timer ??= setTimeout(() => this.flush(), this.pushIntervalMs);
  }

  private flush(): void {
    this.timer = undefined;
    const change = this.pending;
    this.pending = undefined;
    if (change) this.broadcast(frame('update', change));
  }

  private broadcast(text: string): void {
    for (const stream of this.streams) stream.write(text);
  }
}

/** Two changes as one: the later row wins, a row removed and then back is a row. */
function merge(a: Change, b: Change): Change {
  const rows = new Map<string, ActorRow>(a.rows.map((row) => [row.key, row]));
  for (const key of b.removed) rows.delete(key);
  for (const row of b.rows) rows.set(row.key, row);
  const removed = new Set(a.removed.filter((key) => !rows.has(key)));
  for (const key of b.removed) removed.add(key);
  const nodes = b.nodes ?? a.nodes;
  const deadLetters = b.deadLetters ?? a.deadLetters;
  return { rows: [...rows.values()], removed: [...removed], events: [...a.events, ...b.events], ...(nodes ? { nodes } : {}), ...(deadLetters ? { deadLetters } : {}) };
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
