import type { ChildStatus } from '../../index.ts';
import type { ActorStatsWire } from '../../node/index.ts';

/**
 * One line of the observer's table: a supervisor or an actor of one node, flattened from the
 * node's status tree (parents before children, `depth` levels deep). Figures a node does not
 * report are absent, and the page shows a dash.
 */
export interface ActorRow {
  /** `<node>|<address>`: addresses are unique within a node, not across namespaces' observers. */
  key: string;
  node: string;
  address: string;
  parent?: string;
  /** Where the row stands among its node's rows (parents before children, as the tree reads). */
  position: number;
  depth: number;
  kind: 'actor' | 'supervisor';
  strategy?: string;
  state: string;
  restarts: number;
  hasChildren: boolean;
  mailboxDepth?: number;
  mailboxBound?: number;
  handled?: number;
  failed?: number;
  /** Messages in (received) and handled per second, from the change of the counters between two polls. */
  receivedPerSecond?: number;
  handledPerSecond?: number;
  /** Ask latency quantiles, ms: a bucket's upper bound (or '+Inf'), as the node's histogram gives them. */
  askP50Ms?: number | '+Inf';
  askP99Ms?: number | '+Inf';
  /** Messages to this address the node dead-lettered (crashed on, refused, left on a stop), since it started. */
  deadLettered?: number;
  /** Dead letters of this address waiting in the broker's dead-letter queue now (requeueable). */
  deadLetters?: number;
  /** The xstate state value, as JSON for a nested one. */
  machineState?: string;
  incarnation?: number;
  lastExit?: string;
  /** A standby child: its lease, and whether this node holds it. */
  lease?: string;
  leaseHolder?: boolean;
}

/** Two readings of a node: the figures now, the previous ones, and the time between (on the node's clock when it gives one). */
export interface Reading {
  stats: ReadonlyMap<string, ActorStatsWire>;
  previousStats: ReadonlyMap<string, ActorStatsWire>;
  elapsedMs: number;
}

/** The key of a row. */
export function rowKey(node: string, address: string): string {
  return `${node}|${address}`;
}

/**
 * A node's status tree as rows, with each actor's live figures from `reading` (absent from a
 * node that does not answer `stats`, then rates come from the status's `handled`); `previous`
 * (the rows of the last poll, by key) and `deadLetters` (queued dead letters by address).
 */
export function rowsOf(node: string, tree: readonly ChildStatus[], previous: ReadonlyMap<string, ActorRow>, reading: Reading, deadLetters: ReadonlyMap<string, number>): ActorRow[] {
  const rows: ActorRow[] = [];
  const visit = (status: ChildStatus, depth: number, parent: string | undefined) => {
    const key = rowKey(node, status.address);
    const children = status.children ?? [];
    const stats = reading.stats.get(status.address);
    rows.push({
      key,
      node,
      address: status.address,
      ...(parent === undefined ? {} : { parent }),
      position: rows.length,
      depth,
      kind: status.kind,
      ...(status.strategy === undefined ? {} : { strategy: status.strategy }),
      state: status.state,
      restarts: status.restarts,
      hasChildren: children.length > 0,
      ...(status.standby ? { lease: status.standby.lease, leaseHolder: status.standby.holder } : {}),
      ...(status.mailboxDepth === undefined ? {} : { mailboxDepth: status.mailboxDepth }),
      ...(status.handled === undefined ? {} : { handled: status.handled }),
      ...(status.failed === undefined ? {} : { failed: status.failed }),
      ...(stats ? figures(stats, reading.previousStats.get(status.address), reading.elapsedMs) : fromStatus(status, previous.get(key), reading.elapsedMs)),
      ...(deadLetters.has(status.address) ? { deadLetters: deadLetters.get(status.address) } : {}),
    });
    for (const child of children) visit(child, depth + 1, status.address);
  };
  for (const root of tree) visit(root, 0, undefined);
  return rows;
}

/** What `stats` adds to a row. */
function figures(stats: ActorStatsWire, before: ActorStatsWire | undefined, elapsedMs: number): Partial<ActorRow> {
  const received = rate(stats.received, before?.received, elapsedMs);
  const handled = rate(stats.handled, before?.handled, elapsedMs);
  return {
    mailboxDepth: stats.mailbox.depth,
    mailboxBound: stats.mailbox.capacity,
    handled: stats.handled,
    failed: stats.failed,
    ...(received === undefined ? {} : { receivedPerSecond: received }),
    ...(handled === undefined ? {} : { handledPerSecond: handled }),
    ...(stats.asks.p50Ms === undefined ? {} : { askP50Ms: stats.asks.p50Ms }),
    ...(stats.asks.p99Ms === undefined ? {} : { askP99Ms: stats.asks.p99Ms }),
    deadLettered: stats.deadLettered,
    ...(stats.machineState === undefined ? {} : { machineState: typeof stats.machineState === 'string' ? stats.machineState : JSON.stringify(stats.machineState) }),
    incarnation: stats.incarnation,
    ...(stats.lastExit ? { lastExit: exitText(stats.lastExit) } : {}),
  };
}

/** A node without `stats`: the handled rate from two statuses. */
function fromStatus(status: ChildStatus, before: ActorRow | undefined, elapsedMs: number): Partial<ActorRow> {
  const handled = rate(status.handled, before?.handled, elapsedMs);
  return handled === undefined ? {} : { handledPerSecond: handled };
}

function exitText(exit: NonNullable<ActorStatsWire['lastExit']>): string {
  const why = [exit.code, exit.message].filter(Boolean).join(': ');
  return why ? `${exit.kind} (${why})` : exit.kind;
}

/** A counter's change per second; none on the first poll, and none if it went down (a new node). */
function rate(now: number | undefined, before: number | undefined, elapsedMs: number): number | undefined {
  if (now === undefined || before === undefined || elapsedMs <= 0 || now < before) return undefined;
  return Math.round(((now - before) * 1000) / elapsedMs);
}

/** Whether two rows would show the same on the page. */
export function sameRow(a: ActorRow, b: ActorRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ActorRow>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
