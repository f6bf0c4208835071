import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSystem } from '../../../index.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { HttpRendezvousClient, ProxyClient } from '../../../actors/split-broker/client/index.ts';
import { readPublicKeys, RegistrarProtocol, secretKeyPath, writeKeyDir } from '../../../actors/split-broker/index.ts';
import { RunningNode } from '../../bin/airlock-process.ts';
import { BROKER_URL, rawChannel, requireBroker, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';
import { memoryHolds, openAndMappedFiles } from '../../actors/split-broker/process-memory.ts';

const TOPOLOGY = fileURLToPath(new URL('../../../examples/split-broker/topology.ts', import.meta.url));
const NODES = ['edge', 'keyholder', 'core'] as const;
const FREE_PORTS = { SPLIT_BROKER_HTTP_PORT: '0', SPLIT_BROKER_AMP_PORT: '0', SPLIT_BROKER_DNS_PORT: '0', SPLIT_BROKER_EDGE_OPS_PORT: '0', SPLIT_BROKER_KEYHOLDER_OPS_PORT: '0', SPLIT_BROKER_CORE_OPS_PORT: '0' };

/** Deletes every queue of `namespace` (the nodes' mailboxes, dead letters) and its exchange. */
async function deleteNamespace(namespace: string): Promise<void> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', ['list_queues', 'name', '-q', '--no-table-headers']);
  const { connection, channel } = await rawChannel();
  try {
    for (const queue of stdout.split('\n').filter((name) => name.startsWith(`${namespace}:`))) await channel.deleteQueue(queue);
    await channel.deleteExchange(namespace);
  } finally {
    await connection.close();
  }
}

describe('split broker as three processes over RabbitMQ (airlock run --node edge|keyholder|core)', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('split-broker');
  const dir = mkdtempSync(join(tmpdir(), 'airlock-sb3-'));
  const keyDir = join(dir, 'oracle');
  const nodes: Partial<Record<(typeof NODES)[number], RunningNode>> = {};
  let transport: RabbitTransport;
  let system: ReturnType<typeof createSystem>;

  before(async () => {
    await requireBroker();
    writeKeyDir(keyDir);
    // Only the keyholder is told where the keys are; the others get a directory that does not exist.
    const keyDirOf = (node: string) => (node === 'keyholder' ? keyDir : join(dir, 'no-keys-here'));
    for (const node of NODES) {
      nodes[node] = await RunningNode.startWithEnv(dir, { ...FREE_PORTS, SPLIT_BROKER_KEY_DIR: keyDirOf(node) }, TOPOLOGY, '--node', node, '--amqp', BROKER_URL, '--namespace', namespace);
    }
    transport = await connectRabbit({ url: BROKER_URL, namespace });
    system = createSystem({ name: 'spec', transport });
  });

  after(async () => {
    await system?.stop();
    await transport?.close();
    for (const node of NODES) await nodes[node]?.stop();
    await deleteNamespace(namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a client over HTTP gets a signed, verified answer from a proxy matched in the core process', async () => {
    const { port } = await system.ref('edge/http', RegistrarProtocol).ask('where', {});
    const baseUrl = `http://127.0.0.1:${port}/`;
    const proxy = new ProxyClient({ baseUrl, nat: 'unrestricted', answer: (match) => `answer to ${match.offer}` });
    const client = new HttpRendezvousClient({ baseUrl, oracle: readPublicKeys(keyDir) });
    try {
      const round = proxy.pollOnce();
      // The poll crosses edge → core over RabbitMQ; a client arriving before it is told "no proxies".
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(await client.register({ offer: 'offer across processes', nat: 'unrestricted' }), { answer: 'answer to offer across processes', signed: true });
      assert.deepEqual(await round, { outcome: 'answered', match: { offer: 'offer across processes', nat: 'unrestricted', relayURL: 'wss://snowflake.torproject.net/' }, delivered: true });
    } finally {
      proxy.close();
      client.close();
    }
  });

  it('the secret keys are in the keyholder\'s memory only: never in the edge\'s or the core\'s, nor their files', () => {
    const secrets = readFileSync(secretKeyPath(keyDir));
    const boxSecret = secrets.subarray(0, 32);
    assert.equal(memoryHolds(nodes.keyholder!.pid, boxSecret), true, 'the keyholder holds the X25519 secret');
    for (const node of ['edge', 'core'] as const) {
      const pid = nodes[node]!.pid;
      assert.equal(memoryHolds(pid, boxSecret), false, `${node} holds the X25519 secret`);
      assert.deepEqual(openAndMappedFiles(pid).filter((path) => path.startsWith(dir)), [], `${node} has a file of the key directory open`);
    }
  });
});
