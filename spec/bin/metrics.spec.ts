import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdminSocketChannel, ControlClient } from '../../internal.ts';
import { RunningNode } from './airlock-process.ts';

const DYNAMIC = fileURLToPath(new URL('./fixtures/dynamic-topology.ts', import.meta.url));

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no ${series} in the scrape`);
  return Number(line.slice(series.length + 1));
}

describe('airlock run --ops-port: a spawned node serves /metrics, and answers stats on its admin socket', function () {
  // A spawned node loads tsx and the topology: seconds on a busy machine.
  this.timeout(60_000);
  let cwd: string;
  beforeEach(async () => (cwd = await mkdtemp(join(tmpdir(), 'airlock-metrics-'))));
  afterEach(() => rm(cwd, { recursive: true, force: true }));

  it('prints where /metrics is, serves the airlock_* families that move, and stats over the admin socket', async () => {
    const node = await RunningNode.start(cwd, DYNAMIC, '--ops-port', '0');
    try {
      const url = /^airlock: metrics (http:\/\/127\.0\.0\.1:\d+\/metrics) \(node core\)$/.exec(node.lines.find((l) => l.startsWith('airlock: metrics')) ?? '')?.[1];
      assert.ok(url, node.lines.join('\n'));
      const client = new ControlClient(await AdminSocketChannel.connect(join(cwd, '.airlock', 'core.sock')));
      try {
        // Over the owner-only admin socket the node signs state-changing requests itself.
        for (const id of ['c1', 'c2', 'c3']) await client.startChild(`core/customers/${id}`);
        const stats = await client.stats({ address: 'core/customers' });
        assert.deepEqual(stats.actors.map((a) => a.address), ['core/customers/c1', 'core/customers/c2', 'core/customers/c3']);
        assert.deepEqual([stats.actors[0].state, stats.actors[0].incarnation, stats.actors[0].mailbox.capacity], ['running', 1, 10_000]);
      } finally {
        client.close();
      }
      const text = await get(url);
      assert.equal(sample(text, 'airlock_actors{actor="core/customers/*"}'), 3);
      assert.equal(sample(text, 'airlock_mailbox_capacity{actor="core/ledger"}'), 10_000);
      // Three startChild and one stats request, each handled by the control actor.
      assert.equal(sample(text, 'airlock_messages_handled_total{actor="core/$control"}'), 4);
      assert.ok(sample(text, 'process_resident_memory_bytes') > 0);
    } finally {
      assert.equal(await node.stop(), 0);
    }
  });
});
