import { isSupervisorSpec } from '../supervisors/index.ts';
import { type ChildSpec, type SupervisorSpec, type Topology } from '../index.ts';

/** A topology as a drawn tree: every node, supervisor and actor with how it is supervised. */
export function formatGraph(topology: Topology): string[] {
  const lines = [`topology ${topology.name}`];
  for (const node of topology.nodes) {
    const rows: [string, string][] = [[node.name, describeSupervisor(node.tree)]];
    drawChildren(rows, node.name, node.tree, '');
    const width = Math.max(...rows.map(([tree]) => [...tree].length));
    lines.push('', ...rows.map(([tree, what]) => `${tree}${' '.repeat(width - [...tree].length)}  ${what}`));
  }
  return lines;
}

function drawChildren(rows: [string, string][], parent: string, tree: SupervisorSpec, indent: string): void {
  tree.children.forEach((spec, index) => {
    const last = index === tree.children.length - 1;
    const address = `${parent}/${spec.id}`;
    rows.push([`${indent}${last ? '└─ ' : '├─ '}${address}`, describeChild(spec)]);
    if (isSupervisorSpec(spec.start)) drawChildren(rows, address, spec.start, `${indent}${last ? '   ' : '│  '}`);
  });
  // A dynamic supervisor starts with no children: what it will start is its template.
  if (tree.dynamic) rows.push([`${indent}└─ ${parent}/<id>`, `template: ${describeChild({ id: '<id>', ...tree.dynamic.template })}`]);
}

function describeSupervisor(tree: SupervisorSpec): string {
  const { maxRestarts, withinMs } = tree.intensity;
  const backoff = tree.backoff.minMs > 0 ? `, backoff ${tree.backoff.minMs}..${tree.backoff.maxMs} ms` : '';
  if (!tree.dynamic) return `supervisor ${tree.strategy}, at most ${maxRestarts} restarts in ${withinMs} ms${backoff}`;
  const limit = tree.dynamic.maxChildren === undefined ? '' : `, at most ${tree.dynamic.maxChildren} children`;
  return `supervisor dynamic, at most ${maxRestarts} restarts in ${withinMs} ms${backoff}${limit}`;
}

function describeChild(spec: ChildSpec): string {
  const shutdown = typeof spec.shutdown === 'number' ? `${spec.shutdown} ms` : spec.shutdown;
  const how = `${spec.restart}, shutdown ${shutdown}`;
  if (isSupervisorSpec(spec.start)) return `${describeSupervisor(spec.start)}; ${how}`;
  return `actor ${spec.start.kind === 'machine' ? '(xstate) ' : ''}speaking ${spec.start.protocol.name}; ${how}`;
}

/** The same tree in Graphviz's dot language: `airlock graph t.ts --dot | dot -Tsvg > t.svg`. */
export function formatDot(topology: Topology): string[] {
  const lines = [`digraph "${topology.name}" {`, '  node [fontname="Helvetica"];'];
  const visit = (parent: string, tree: SupervisorSpec) => {
    for (const spec of tree.children) {
      const address = `${parent}/${spec.id}`;
      const shape = isSupervisorSpec(spec.start) ? 'box' : 'ellipse';
      lines.push(`  "${address}" [shape=${shape}, label="${spec.id}"];`, `  "${parent}" -> "${address}" [label="${spec.restart}"];`);
      if (isSupervisorSpec(spec.start)) visit(address, spec.start);
    }
    if (tree.dynamic) {
      const address = `${parent}/<id>`;
      lines.push(`  "${address}" [shape=ellipse, style=dashed, label="template"];`, `  "${parent}" -> "${address}" [label="${tree.dynamic.template.restart}", style=dashed];`);
    }
  };
  for (const node of topology.nodes) {
    lines.push(`  "${node.name}" [shape=box, style=bold, label="${node.name}\\n${node.tree.strategy}"];`);
    visit(node.name, node.tree);
  }
  lines.push('}');
  return lines;
}
