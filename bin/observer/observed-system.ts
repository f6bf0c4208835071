import type { DeadLetter } from '../../transports/rabbitmq/index.ts';
import { errorMessage } from '../../lib/errors.ts';
import { rowsOf, sameRow, type ActorRow } from './actor-row.ts';
import type { ActorStatsWire } from '../../node/index.ts';
import type { DeadLetterSource } from './dead-letter-source.ts';
import type { NodeFigures, NodeSource } from './node-source.ts';
import { changesBetween, type EventDraft, type ObservedEvent } from './observed-event.ts';
import { DEAD_LETTER_POLL_MS, MAX_KEPT_EVENTS, MAX_LISTED_DEAD_LETTERS, POLL_INTERVAL_MS, STATUS_TIMEOUT_MS } from './observer-limits.ts';

/** A node as the page shows it above its tree. */
export interface NodeView {
  node: string;
  reachable: boolean;
  transport?: string;
  error?: string;
}

/** What changed since the last change was told: rows (new or different), rows gone, nodes, new events, the dead letters. */
export interface Change {
  rows: ActorRow[];
  removed: string[];
  nodes?: NodeView[];
  events: ObservedEvent[];
  deadLetters?: DeadLetter[];
}

export interface Snapshot {
  rows: ActorRow[];
  nodes: NodeView[];
  events: ObservedEvent[];
  deadLetters: DeadLetter[];
}

export interface ObservedSystemOptions {
  nodes: NodeSource;
  deadLetters?: DeadLetterSource;
  pollIntervalMs?: number;
  deadLetterPollMs?: number;
  now?: () => number;
}

/**
 * Every observed node's rows, kept current by polling each node at a fixed rate (never more
 * than one request in flight per node, whatever the number of browsers), and the events read
 * from what changed. Listeners get each change once; the SSE hub batches them for browsers.
 */
export class ObservedSystem {
  private readonly rows = new Map<string, ActorRow>();
  private readonly nodes = new Map<string, NodeView>();
  private readonly polledAt = new Map<string, number>();
  /** Each node's last `stats` reading, by address, and when (its clock). */
  private readonly lastStats = new Map<string, { at: number; byAddress: Map<string, ActorStatsWire> }>();
  /** Nodes that answered `stats` with a refusal (an older node): asked for status only. */
  private readonly statusOnly = new Set<string>();
  /** Where each node's event log was read up to (its epoch, the last seq); absent for a node without `events`. */
  private readonly eventCursors = new Map<string, { epoch: string; seq: number }>();
  /** Nodes that answered `events` with a refusal: their events are read from the rows' changes. */
  private readonly noEventLog = new Set<string>();
  private readonly inFlight = new Set<string>();
  private events: ObservedEvent[] = [];
  private deadLetters: DeadLetter[] = [];
  private deadLettersByAddress = new Map<string, number>();
  private seq = 0;
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: ObservedSystemOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Polls now, then at the fixed rate until `close`. */
  start(): Promise<void> {
    this.timers.push(setInterval(() => void this.pollNodes(), this.options.pollIntervalMs ?? POLL_INTERVAL_MS));
    if (this.options.deadLetters) this.timers.push(setInterval(() => void this.pollDeadLetters(), this.options.deadLetterPollMs ?? DEAD_LETTER_POLL_MS));
    return Promise.all([this.pollDeadLetters(), this.pollNodes()]).then(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.listeners.clear();
    await this.options.nodes.close();
    await this.options.deadLetters?.close();
  }

  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Snapshot {
    return { rows: [...this.rows.values()], nodes: this.nodeViews(), events: this.events, deadLetters: this.deadLetters };
  }

  /** Records an event that did not come from a poll (an action, a refusal) and tells the listeners. */
  record(draft: EventDraft): ObservedEvent {
    const [event] = this.remember([draft]);
    this.emit({ rows: [], removed: [], events: [event] });
    return event;
  }

  /** Polls one node at once (after an action, so its outcome shows without waiting for the next round). */
  refresh(node: string): Promise<void> {
    return this.pollNode(node);
  }

  /** Reads the dead letters at once (after a requeue). */
  refreshDeadLetters(): Promise<void> {
    return this.pollDeadLetters();
  }

  private async pollNodes(): Promise<void> {
    let names: string[];
    try {
      names = await this.options.nodes.nodes();
    } catch {
      return;
    }
    await Promise.all(names.map((node) => this.pollNode(node)));
  }

  private async pollNode(node: string): Promise<void> {
    if (this.closed || this.inFlight.has(node)) return;
    this.inFlight.add(node);
    try {
      const [status, figures, logged] = await withTimeout(
        Promise.all([this.options.nodes.status(node), this.figuresOf(node), this.eventsOf(node)]),
        STATUS_TIMEOUT_MS,
        `node ${node} did not answer within ${STATUS_TIMEOUT_MS} ms`,
      );
      const polledAt = this.now();
      const elapsed = polledAt - (this.polledAt.get(node) ?? polledAt);
      this.polledAt.set(node, polledAt);
      const before = this.lastStats.get(node);
      const byAddress = new Map((figures?.actors ?? []).map((actor) => [actor.address, actor]));
      if (figures) this.lastStats.set(node, { at: figures.at, byAddress });
      const reading = { stats: byAddress, previousStats: before?.byAddress ?? new Map(), elapsedMs: figures && before ? figures.at - before.at : elapsed };
      const previous = this.rowsOfNode(node);
      if (logged) this.eventCursors.set(node, logged.cursor);
      this.apply(node, rowsOf(node, status.tree, previous, reading, this.deadLettersByAddress), previous, { node, reachable: true, transport: status.transport }, logged?.drafts);
    } catch (error) {
      this.nodeDown(node, errorMessage(error));
    } finally {
      this.inFlight.delete(node);
    }
  }

  /** The node's events since the last poll (all it kept, the first time or after it restarted); none from a node without `events`. */
  private async eventsOf(node: string): Promise<{ drafts: EventDraft[]; cursor: { epoch: string; seq: number } } | undefined> {
    if (this.noEventLog.has(node)) return undefined;
    const drafts: EventDraft[] = [];
    try {
      let cursor = this.eventCursors.get(node);
      for (let page = 0; page < 4; page++) {
        const answer = await this.options.nodes.events(node, cursor?.seq);
        if (cursor && answer.epoch !== cursor.epoch) {
          // A new life of the node: its numbering starts again; read it from the start.
          cursor = { epoch: answer.epoch, seq: 0 };
          continue;
        }
        for (const event of answer.events) drafts.push({ node, address: event.address || node, kind: event.kind, detail: event.detail, at: event.at });
        cursor = { epoch: answer.epoch, seq: answer.events.at(-1)?.seq ?? cursor?.seq ?? 0 };
        if (answer.next === undefined) break;
      }
      // The cursor moves only once the whole poll succeeded (see pollNode): a failed one reads them again.
      return { drafts, cursor: cursor! };
    } catch (error) {
      if (isRefusal(error)) {
        this.noEventLog.add(node);
        return undefined;
      }
      throw error;
    }
  }

  /** The node's live figures, or none from a node that does not answer `stats` (it still answers status). */
  private async figuresOf(node: string): Promise<NodeFigures | undefined> {
    if (this.statusOnly.has(node)) return undefined;
    try {
      return await this.options.nodes.stats(node);
    } catch (error) {
      if (isRefusal(error)) {
        this.statusOnly.add(node);
        return undefined;
      }
      throw error;
    }
  }

  private rowsOfNode(node: string): Map<string, ActorRow> {
    const rows = new Map<string, ActorRow>();
    for (const row of this.rows.values()) if (row.node === node) rows.set(row.key, row);
    return rows;
  }

  private apply(node: string, next: ActorRow[], previous: Map<string, ActorRow>, view: NodeView, logged: EventDraft[] | undefined): void {
    // The node's own event log when it has one; else what the rows' changes tell.
    const drafts = logged ?? changesBetween(previous, next);
    const wasUp = this.nodes.get(node)?.reachable;
    if (wasUp === false) drafts.unshift({ node, address: node, kind: 'node-up', detail: `answers again (${view.transport})` });
    const changed = next.filter((row) => {
      const old = previous.get(row.key);
      return old === undefined || !sameRow(old, row);
    });
    const present = new Set(next.map((row) => row.key));
    const removed = [...previous.keys()].filter((key) => !present.has(key));
    for (const key of removed) this.rows.delete(key);
    for (const row of changed) this.rows.set(row.key, row);
    const nodeChanged = this.setNode(view);
    this.emit({ rows: changed, removed, events: this.remember(drafts), ...(nodeChanged ? { nodes: this.nodeViews() } : {}) });
  }

  private nodeDown(node: string, error: string): void {
    const wasUp = this.nodes.get(node)?.reachable !== false;
    if (!this.setNode({ node, reachable: false, error })) return;
    const drafts: EventDraft[] = wasUp ? [{ node, address: node, kind: 'node-down', detail: error }] : [];
    this.emit({ rows: [], removed: [], events: this.remember(drafts), nodes: this.nodeViews() });
  }

  /** The nodes by name, whichever answered first. */
  private nodeViews(): NodeView[] {
    return [...this.nodes.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  /** Whether the node's view changed. */
  private setNode(view: NodeView): boolean {
    const old = this.nodes.get(view.node);
    if (old && old.reachable === view.reachable && old.transport === view.transport && old.error === view.error) return false;
    this.nodes.set(view.node, view);
    return true;
  }

  private async pollDeadLetters(): Promise<void> {
    const source = this.options.deadLetters;
    if (!source) return;
    let letters: DeadLetter[];
    try {
      letters = await source.list();
    } catch {
      return;
    }
    const byAddress = new Map<string, number>();
    for (const letter of letters) byAddress.set(letter.address, (byAddress.get(letter.address) ?? 0) + 1);
    const listed = letters.slice(0, MAX_LISTED_DEAD_LETTERS);
    const same = JSON.stringify(listed) === JSON.stringify(this.deadLetters);
    this.deadLettersByAddress = byAddress;
    if (same) return;
    this.deadLetters = listed;
    // The rows' counts change with the queue, not with the next status poll.
    const rows: ActorRow[] = [];
    const drafts: EventDraft[] = [];
    for (const row of this.rows.values()) {
      const count = byAddress.get(row.address);
      if (count === row.deadLetters) continue;
      const next: ActorRow = { ...row };
      if (count === undefined) delete next.deadLetters;
      else next.deadLetters = count;
      if ((count ?? 0) > (row.deadLetters ?? 0)) drafts.push({ node: row.node, address: row.address, kind: 'dead-lettered', detail: `${(count ?? 0) - (row.deadLetters ?? 0)} new, ${count} in the dead-letter queue` });
      this.rows.set(row.key, next);
      rows.push(next);
    }
    this.emit({ rows, removed: [], events: this.remember(drafts), deadLetters: listed });
  }

  private remember(drafts: EventDraft[]): ObservedEvent[] {
    const now = this.now();
    const events = drafts.map(({ at, ...draft }) => ({ seq: ++this.seq, at: at ?? now, ...draft }));
    if (events.length > 0) this.events = [...this.events, ...events].slice(-MAX_KEPT_EVENTS);
    return events;
  }

  private emit(change: Change): void {
    if (change.rows.length === 0 && change.removed.length === 0 && change.events.length === 0 && !change.nodes && !change.deadLetters) return;
    for (const listener of this.listeners) listener(change);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What a node that lacks a request answers (an older node), not a node that is down, slow or busy. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'UNKNOWN_MESSAGE_TYPE' || code === 'INVALID_MESSAGE';
}
