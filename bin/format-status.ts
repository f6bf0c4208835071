import type { ChildStatus } from '../index.ts';
import type { NodeStatus } from '../node/index.ts';

const HEADER = ['ADDRESS', 'KIND', 'STATE', 'RESTARTS', 'MAILBOX', 'HANDLED', 'FAILED'];
/** Columns that hold numbers are right-aligned. */
const NUMERIC = new Set([3, 4, 5, 6]);

/** One node's supervision tree as a table: tree-drawn addresses, state, restarts, mailbox depth. */
export function formatNodeStatus(status: NodeStatus): string[] {
  const rows = [HEADER];
  for (const root of status.tree) addRows(rows, root, '', '');
  return [`node ${status.node} (${status.transport})`, ...alignColumns(rows)];
}

function addRows(rows: string[][], status: ChildStatus, branch: string, indent: string): void {
  const dash = (value: number | undefined) => (value === undefined ? '-' : String(value));
  rows.push([
    `${branch}${status.address}`,
    status.kind === 'supervisor' ? `supervisor ${status.strategy ?? ''}`.trimEnd() : 'actor',
    status.state,
    String(status.restarts),
    dash(status.mailboxDepth),
    dash(status.handled),
    dash(status.failed),
  ]);
  const children = status.children ?? [];
  children.forEach((child, index) => {
    const last = index === children.length - 1;
    addRows(rows, child, `${indent}${last ? '└─ ' : '├─ '}`, `${indent}${last ? '   ' : '│  '}`);
  });
}

function alignColumns(rows: string[][]): string[] {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        return NUMERIC.has(column) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
