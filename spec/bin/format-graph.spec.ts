import assert from 'node:assert/strict';
import { z } from 'zod';
import { formatDot, formatGraph } from '../../bin/format-graph.ts';
import { child, defineActor, defineProtocol, defineTopology, dynamicSupervisor, supervisor } from '../../index.ts';

const Peer = defineProtocol('spec.peer', { hello: { body: z.object({}) } });
const peer = defineActor({ protocol: Peer, setup: () => ({ hello: () => {} }) });

const topology = defineTopology('float', {
  dmz: supervisor({
    children: [
      child('listener', peer),
      child('peers', dynamicSupervisor({ child: peer, restart: 'transient', maxChildren: 64, intensity: { maxRestarts: 5, withinMs: 1_000 } })),
    ],
  }),
});

describe('airlock graph: dynamic supervisors', () => {
  it('draws a dynamic supervisor as `supervisor dynamic` with its template', () => {
    assert.deepEqual(formatGraph(topology), [
      'topology float',
      '',
      'dmz                   supervisor one_for_one, at most 3 restarts in 5000 ms',
      '├─ dmz/listener       actor speaking spec.peer; permanent, shutdown 5000 ms',
      '└─ dmz/peers          supervisor dynamic, at most 5 restarts in 1000 ms, at most 64 children; permanent, shutdown infinity',
      '   └─ dmz/peers/<id>  template: actor speaking spec.peer; transient, shutdown 5000 ms',
    ]);
  });

  it('draws the template dashed in dot', () => {
    const dot = formatDot(topology);
    assert.ok(dot.includes('  "dmz/peers/<id>" [shape=ellipse, style=dashed, label="template"];'));
    assert.ok(dot.includes('  "dmz/peers" -> "dmz/peers/<id>" [label="transient", style=dashed];'));
  });
});
