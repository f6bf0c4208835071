import assert from 'node:assert/strict';
import http from 'node:http';
import {
  child,
  defineTopology,
  dynamicSupervisor,
  MetricsListenerProtocol,
  OTHER_ACTORS,
  run,
  supervisor,
  type RunningTopology,
} from '../../internal.ts';
import { stopDynamicChild } from '../../supervisors/dynamic-children.ts';
import { Counter, counter, settleMany } from '../support/fixtures.ts';

/** One scrape: each sample line as `name{labels}` → value (HELP/TYPE lines kept apart). */
interface Scrape {
  text: string;
  samples: Map<string, number>;
  types: Map<string, string>;
}

function parse(text: string): Scrape {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return { text, samples, types };
}

function get(url: string): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
      })
      .on('error', reject);
  });
}

async function scrape(running: RunningTopology, node: string): Promise<Scrape> {
  return parse(await running.metrics(node)!.metrics());
}

function value(scrape: Scrape, sample: string): number {
  const found = scrape.samples.get(sample);
  assert.notEqual(found, undefined, `no sample ${sample} in:\n${scrape.text.split('\n').filter((l) => l.startsWith(sample.split('{')[0])).join('\n')}`);
  return found!;
}

/** Series of the airlock_* families. */
function airlockSeries(scrape: Scrape): string[] {
  return [...scrape.samples.keys()].filter((key) => key.startsWith('airlock_'));
}

describe('node metrics: Prometheus text on the ops listener', () => {
  it('serves every airlock_* family at GET /metrics of <node>/$ops, with values that moved', async () => {
    const topology = defineTopology('metrics', { n: supervisor({ children: [child('a', counter)] }) });
    const running = run(topology, { control: true, ops: { port: 0 } });
    try {
      const where = await running.ref('n/$ops', MetricsListenerProtocol).ask('where', {});
      const a = running.ref('n/a', Counter);
      for (let i = 0; i < 5; i++) await a.tell('add', { by: 1 });
      assert.equal(await a.ask('get', {}), 5);
      await a.tell('crash', { reason: 'boom' });
      await settleMany();
      // A wrong body: refused to the sender, counted against n/a.
      await assert.rejects(a.tell('add', { by: 'x' as unknown as number }), { code: 'INVALID_MESSAGE' });

      const response = await get(`http://${where.host}:${where.port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.type ?? '', /^text\/plain/);
      const metrics = parse(response.body);
      const actor = '{actor="n/a"}';
      assert.equal(value(metrics, `airlock_mailbox_depth${actor}`), 0);
      assert.equal(value(metrics, `airlock_mailbox_capacity${actor}`), 10_000);
      assert.equal(value(metrics, `airlock_actors${actor}`), 1);
      assert.equal(value(metrics, `airlock_messages_received_total${actor}`), 7);
      assert.equal(value(metrics, `airlock_messages_handled_total${actor}`), 6);
      assert.equal(value(metrics, `airlock_messages_failed_total${actor}`), 1);
      assert.equal(value(metrics, `airlock_messages_refused_total${actor}`), 1);
      assert.equal(value(metrics, `airlock_messages_dead_lettered_total${actor}`), 1);
      assert.equal(value(metrics, `airlock_actor_crashes_total${actor}`), 1);
      assert.equal(value(metrics, `airlock_actor_restarts_total${actor}`), 1);
      assert.equal(value(metrics, 'airlock_ask_duration_seconds_count{actor="n/a"}'), 1);
      assert.equal(value(metrics, 'airlock_ask_duration_seconds_bucket{actor="n/a",le="+Inf"}'), 1);
      assert.equal(value(metrics, 'airlock_ask_duration_seconds_bucket{actor="n/a",le="0.001"}'), 1);
      assert.ok(value(metrics, 'airlock_dead_letters_total') >= 1);
      assert.ok(value(metrics, 'airlock_refused_total') >= 1);
      assert.equal(value(metrics, 'airlock_replies_dropped_total'), 0);
      assert.equal(value(metrics, 'airlock_control_refused_total'), 0);
      assert.equal(metrics.types.get('airlock_ask_duration_seconds'), 'histogram');
      assert.equal(metrics.types.get('airlock_messages_handled_total'), 'counter');
      // prom-client's process and Node.js figures, on the node's own registry.
      assert.ok(value(metrics, 'process_cpu_seconds_total') > 0);
      assert.ok(metrics.types.has('nodejs_heap_size_used_bytes'));
      // The in-process transport has no broker figures.
      assert.ok(!metrics.text.includes('airlock_transport_'));
      assert.equal((await get(`http://${where.host}:${where.port}/other`)).status, 404);
    } finally {
      await running.stop();
    }
  });

  it('10,000 dynamic children share one label: the series count stays bounded, and counters never go back', async function () {
    // Starting and stopping 10,000 actors takes ~1-2 s on a quiet machine; generous for a busy one.
    this.timeout(60_000);
    const topology = defineTopology('many', {
      n: supervisor({ children: [child('peers', dynamicSupervisor({ child: counter, maxChildren: 20_000 })), child('a', counter)] }),
    });
    const running = run(topology, { metrics: { process: false } });
    try {
      const before = airlockSeries(await scrape(running, 'n')).length;
      const peers = running.supervisor('n/peers');
      for (let i = 0; i < 10_000; i++) peers.startChild(`p${i}`);
      for (let i = 0; i < 10_000; i += 100) await running.ref(`n/peers/p${i}`, Counter).tell('add', { by: 1 });
      await settleMany();
      const many = await scrape(running, 'n');
      const series = airlockSeries(many).length;
      assert.equal(value(many, 'airlock_actors{actor="n/peers/*"}'), 10_000);
      assert.equal(value(many, 'airlock_messages_handled_total{actor="n/peers/*"}'), 100);
      // One more label (n/peers/*) than before the children: ~25 series, whatever their number.
      assert.ok(series <= before + 30, `${series} series after 10,000 children (${before} before)`);
      for (let i = 0; i < 1_000; i++) await stopDynamicChild(peers, `p${i}`);
      const fewer = await scrape(running, 'n');
      assert.equal(value(fewer, 'airlock_actors{actor="n/peers/*"}'), 9_000);
      assert.equal(value(fewer, 'airlock_messages_handled_total{actor="n/peers/*"}'), 100);
    } finally {
      await running.stop({ drainTimeoutMs: 0 });
    }
  });

  it('caps distinct actor labels (maxActorLabels); the actors past it count under other', async () => {
    const children = Array.from({ length: 10 }, (_, i) => child(`w${i}`, counter));
    const running = run(defineTopology('capped', { n: supervisor({ children }) }), { metrics: { maxActorLabels: 4, process: false } });
    try {
      for (let i = 0; i < 10; i++) await running.ref(`n/w${i}`, Counter).tell('add', { by: 1 });
      await settleMany();
      const metrics = await scrape(running, 'n');
      const labels = new Set([...metrics.samples.keys()].filter((k) => k.startsWith('airlock_actors{')).map((k) => /actor="([^"]*)"/.exec(k)![1]));
      assert.equal(labels.size, 5);
      assert.ok(labels.has(OTHER_ACTORS));
      assert.equal(value(metrics, `airlock_actors{actor="${OTHER_ACTORS}"}`), 6);
      assert.equal(value(metrics, `airlock_messages_handled_total{actor="${OTHER_ACTORS}"}`), 6);
    } finally {
      await running.stop();
    }
  });
});
