import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem } from '../../../index.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { HttpRendezvousClient, ProxyClient } from '../../../actors/split-broker/client/index.ts';
import { readPublicKeys, RegistrarProtocol, writeKeyDir } from '../../../actors/split-broker/index.ts';
import { RunningNode } from '../../bin/airlock-process.ts';
import { uniqueNamespace } from './broker.ts';
import { cluster, CLUSTER_START_MS, deleteClusterNamespace, healCluster, requireCluster, urlsInOrder } from './cluster.ts';

const TOPOLOGY = fileURLToPath(new URL('../../../examples/split-broker/topology.ts', import.meta.url));
const NODES = ['edge', 'keyholder', 'core'] as const;
const FREE_PORTS = { SPLIT_BROKER_HTTP_PORT: '0', SPLIT_BROKER_AMP_PORT: '0', SPLIT_BROKER_DNS_PORT: '0', SPLIT_BROKER_EDGE_OPS_PORT: '0', SPLIT_BROKER_KEYHOLDER_OPS_PORT: '0', SPLIT_BROKER_CORE_OPS_PORT: '0' };

/**
 * The split broker's three processes on the test cluster, unchanged but for `--amqp a,b,c` (each
 * process on a node of its own): a rendezvous round, then the loss of the core's node (quorum
 * mailboxes keep the edge's and keyholder's queues), then another round through the survivors.
 */
describe('RabbitMQ cluster: the split broker as three processes (airlock run --amqp a,b,c)', function () {
  this.timeout(CLUSTER_START_MS + 90_000);
  const namespace = uniqueNamespace('cluster-split');
  const dir = mkdtempSync(join(tmpdir(), 'airlock-cluster-sb-'));
  const keyDir = join(dir, 'oracle');
  const nodes: Partial<Record<(typeof NODES)[number], RunningNode>> = {};
  let transport: RabbitTransport | undefined;
  let system: ReturnType<typeof createSystem> | undefined;

  before(async () => {
    await requireCluster();
    writeKeyDir(keyDir);
    const keyDirOf = (node: string) => (node === 'keyholder' ? keyDir : join(dir, 'no-keys-here'));
    for (const [index, node] of NODES.entries()) {
      const urls = urlsInOrder(index, (index + 1) % 3, (index + 2) % 3).join(',');
      nodes[node] = await RunningNode.startWithEnv(dir, { ...FREE_PORTS, SPLIT_BROKER_KEY_DIR: keyDirOf(node) }, TOPOLOGY, '--node', node, '--amqp', urls, '--namespace', namespace);
    }
    transport = await connectRabbit({ urls: urlsInOrder(1, 0, 2), namespace });
    system = createSystem({ name: 'spec', transport });
  });

  after(async () => {
    await healCluster();
    await system?.stop();
    await transport?.close();
    for (const node of NODES) await nodes[node]?.stop();
    await deleteClusterNamespace(namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  async function rendezvous(offer: string): Promise<void> {
    const { port } = await system!.ref('edge/http', RegistrarProtocol).ask('where', {}, { timeoutMs: 20_000 });
    const baseUrl = `http://127.0.0.1:${port}/`;
    const proxy = new ProxyClient({ baseUrl, nat: 'unrestricted', answer: (match) => `answer to ${match.offer}` });
    const client = new HttpRendezvousClient({ baseUrl, oracle: readPublicKeys(keyDir) });
    try {
      const round = proxy.pollOnce();
      // The poll crosses edge → core over the broker; a client arriving before it is told "no proxies".
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await client.register({ offer, nat: 'unrestricted' }), { answer: `answer to ${offer}`, signed: true });
      assert.equal((await round).outcome, 'answered');
    } finally {
      proxy.close();
      client.close();
    }
  }

  it('matches a client with a proxy, before and after the core process\'s broker node is killed', async () => {
    await rendezvous('offer on the whole cluster');
    // The core dials node 3 first.
    const killedAt = Date.now();
    await cluster.kill(2);
    await rendezvous('offer with a node down');
    console.log(`      ${cluster.nodes[2]!.name} killed: a full rendezvous through the others ${Date.now() - killedAt} ms later`);
  });
});
