import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { uniqueNamespace, Work } from './broker.ts';
import { startScript, waitFor, type NodeProcess } from './children.ts';
import { cluster, CLUSTER_START_MS, deleteClusterNamespace, healCluster, requireCluster, urlsInOrder } from './cluster.ts';

const SCRIPT = fileURLToPath(new URL('./fixtures/cluster-node.ts', import.meta.url));
/** Tells per 10 ms tick: ~500 a second, steady, so a stall shows as a gap in the handlings. */
const PER_TICK = 5;
/** How long each fault is left in place before the node comes back: longer than any failover seen (< 1 s). */
const FAULT_MS = 2_000;

/**
 * Chaos under load on the three-node cluster: a publisher process (on node 3, then node 1) tells a
 * consumer process (on node 2, then node 1) at a steady rate through a quorum queue whose leader starts on
 * node 1. Each fault kill -9s one broker node and brings it back: the queue leader's, then the
 * consumer's, then the publisher's. Every confirmed tell must be handled, none twice; the stall
 * (the longest gap between two handlings around the fault) is printed per fault.
 */
describe('RabbitMQ cluster: kill -9 of a broker node under load (quorum queues)', function () {
  this.timeout(CLUSTER_START_MS + 120_000);
  const namespace = uniqueNamespace('cluster-chaos');
  const dir = mkdtempSync(join(tmpdir(), 'airlock-cluster-chaos-'));
  const handledLog = join(dir, 'handled.log');
  const confirmedLog = join(dir, 'confirmed.log');
  const children: NodeProcess[] = [];
  let seeder: RabbitTransport | undefined;

  before(requireCluster);
  after(async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await seeder?.close();
    rmSync(dir, { recursive: true, force: true });
    await healCluster();
    await deleteClusterNamespace(namespace);
  });

  const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

  /** Follows a child's { connected } reports: the broker node it is on now. */
  function follow(child: NodeProcess): { readonly url: string | undefined } {
    const where = { url: undefined as string | undefined };
    child.child.on('message', (message: { connected?: string }) => {
      if (message && 'connected' in message) where.url = message.connected;
    });
    return where;
  }

  it('loses no confirmed tell and handles none twice while the leader, consumer and publisher nodes die in turn', async () => {
    // The queue is declared first from node 1, so its leader starts there, on neither process's node.
    seeder = await connectRabbit({ urls: cluster.urls, namespace });
    const seederSystem = createSystem({ name: 'seeder', transport: seeder });
    await seederSystem.ref('work', Work).tell('job', { seq: -1 });
    await seederSystem.stop();
    await seeder.close();

    const consumer = startScript(SCRIPT, ['consumer', namespace, urlsInOrder(1, 0, 2).join(','), handledLog]);
    children.push(consumer);
    const consumerAt = follow(consumer);
    await consumer.next((m) => 'ready' in m);
    const publisher = startScript(SCRIPT, ['publisher', namespace, urlsInOrder(2, 0, 1).join(','), confirmedLog, String(PER_TICK)]);
    children.push(publisher);
    const publisherAt = follow(publisher);
    await publisher.next((m) => 'ready' in m);
    await waitFor('load flowing', () => lines(handledLog).length > 500, 30_000);

    const queue = `${namespace}:work`;
    const faults: { name: string; node: () => Promise<string> }[] = [
      { name: "the queue leader's node", node: async () => (await cluster.leaderOf(queue))!.url },
      { name: "the consumer's node", node: async () => consumerAt.url! },
      { name: "the publisher's node", node: async () => publisherAt.url! },
    ];
    const report: string[] = [];
    for (const fault of faults) {
      const url = await fault.node();
      const node = cluster.node(cluster.urls.find((candidate) => candidate.replace(':guest@', ':***@') === url || candidate === url)!);
      const roles = [
        (await cluster.leaderOf(queue))?.name === node.name ? 'leader' : undefined,
        consumerAt.url?.endsWith(`:${node.amqpPort}`) ? 'consumer' : undefined,
        publisherAt.url?.endsWith(`:${node.amqpPort}`) ? 'publisher' : undefined,
      ].filter(Boolean);
      const killedAt = Date.now();
      await cluster.kill(node.name);
      await new Promise((resolve) => setTimeout(resolve, FAULT_MS));
      const before = lines(handledLog).length;
      const confirmedBefore = lines(confirmedLog).length;
      // Apart, so a failure says which side stalled: the publisher's confirms or the consumer's deliveries.
      await waitFor(`confirms going on after ${fault.name} died`, () => lines(confirmedLog).length > confirmedBefore + 100, 30_000);
      await waitFor(`handling going on after ${fault.name} died`, () => lines(handledLog).length > before + 100, 30_000);
      const stall = longestGap(lines(handledLog), killedAt, killedAt + FAULT_MS);
      const restartedAt = Date.now();
      await cluster.restart(node.name);
      report.push(`${fault.name} (${node.name}: ${roles.join(', ')}): stall ${stall} ms, node back in ${Date.now() - restartedAt} ms`);
      console.log(`      ${report.at(-1)}`);
      await waitFor('load flowing again', () => lines(handledLog).length > before + 500, 30_000);
    }

    publisher.child.send('stop');
    const { stats: sent } = await publisher.next((m) => 'stats' in m);
    const confirmed = lines(confirmedLog).map(Number);
    await waitFor('every confirmed tell handled', () => lines(handledLog).length >= confirmed.length + 1, 60_000);
    consumer.child.send('stop');
    const { stats } = await consumer.next((m) => 'stats' in m);

    const handled = lines(handledLog).map((line) => line.split(' '));
    const ids = new Set(handled.map(([id]) => id));
    const seqs = new Set(handled.map(([, seq]) => Number(seq)));
    const lost = confirmed.filter((seq) => !seqs.has(seq));
    console.log(`      ${sent.sent} told, ${confirmed.length} confirmed, ${handled.length - 1} handled, ${stats.duplicates} duplicates dropped, ${lost.length} lost; the publisher's channel recycled ${sent.recycledAfterNack} times after nacks`);
    assert.deepEqual(sent.failures, [], 'no tell failed');
    assert.equal(confirmed.length, sent.sent, 'every tell confirmed in the end');
    assert.deepEqual(lost, [], '0 confirmed tells lost');
    assert.equal(ids.size, handled.length, '0 handled twice');
  });
});

/** The longest gap (ms) between consecutive handlings that spans a moment in [from, to]. */
function longestGap(lines: string[], from: number, to: number): number {
  const times = lines.map((line) => Number(line.split(' ')[2])).sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < times.length; i++) {
    if (times[i]! >= from && times[i - 1]! <= to) longest = Math.max(longest, times[i]! - times[i - 1]!);
  }
  return longest;
}
