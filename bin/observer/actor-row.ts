import type { ChildStatus } from '../../index.ts';

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
  /** Messages handled per second, from the change of `handled` between two polls. */
  handledPerSecond?: number;
  askP50Ms?: number;
  askP99Ms?: number;
  deadLetters?: number;
  machineState?: string;
  incarnation?: number;
  lastExit?: string;
}

/** The key of a row. */
export function rowKey(node: string, address: string): string {
  return `${node}|${address}`;
}

/**
 * A node's status tree as rows. `previous` (the rows of the last poll, by key) and `elapsedMs`
 * give each actor's handled rate; `deadLetters` counts the dead letters of each address.
 */
export function rowsOf(node: string, tree: readonly ChildStatus[], previous: ReadonlyMap<string, ActorRow>, elapsedMs: number, deadLetters: ReadonlyMap<string, number>): ActorRow[] {
  const rows: ActorRow[] = [];
  const visit = (status: ChildStatus, depth: number, parent: string | undefined) => {
    const key = rowKey(node, status.address);
    const before = previous.get(key);
    const children = status.children ?? [];
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
      ...(status.mailboxDepth === undefined ? {} : { mailboxDepth: status.mailboxDepth }),
      ...(status.handled === undefined ? {} : { handled: status.handled }),
      ...(status.failed === undefined ? {} : { failed: status.failed }),
      ...rate(status.handled, before?.handled, elapsedMs),
      ...(deadLetters.has(status.address) ? { deadLetters: deadLetters.get(status.address) } : {}),
    });
    for (const child of children) visit(child, depth + 1, status.address);
  };
  for (const root of tree) visit(root, 0, undefined);
  return rows;
}

/** A counter's change per second; none on the first poll, and none across a restart that reset it. */
function rate(now: number | undefined, before: number | undefined, elapsedMs: number): { handledPerSecond?: number } {
  if (now === undefined || before === undefined || elapsedMs <= 0 || now < before) return {};
  return { handledPerSecond: Math.round(((now - before) * 1000) / elapsedMs) };
}

/** Whether two rows would show the same on the page. */
export function sameRow(a: ActorRow, b: ActorRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ActorRow>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
