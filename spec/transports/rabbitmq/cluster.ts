/**
 * The cluster specs' three-node RabbitMQ (`npm run cluster -- start`, scripts/cluster): started
 * by their `before` (idempotent: at once when it already runs, ~25 s otherwise) and left running
 * for the next spec. They need it: when it cannot start they fail (they never skip), in CI too.
 */
import amqp from 'amqplib';
import { TestCluster } from '../../../scripts/cluster/index.ts';

export const cluster = new TestCluster();

/** Time for a cold start of all three nodes: ~25 s alone, far more beside a busy suite on 2 cores. */
export const CLUSTER_START_MS = 150_000;

export async function requireCluster(): Promise<void> {
  try {
    await cluster.start({ timeoutMs: CLUSTER_START_MS });
  } catch (error) {
    throw new Error(`the test cluster (${cluster.urls.join(', ')}) could not start: ${String(error)}; logs under ${cluster.dir}`);
  }
}

/** Brings back any node a spec killed, so the next spec finds the whole cluster. */
export async function healCluster(): Promise<void> {
  await cluster.start({ timeoutMs: CLUSTER_START_MS });
}

/** The cluster's URLs in a process's own order of preference (0-based node indexes). */
export function urlsInOrder(...nodes: number[]): string[] {
  return nodes.map((index) => cluster.urls[index]!);
}

/** Deletes every queue of `namespace` on the cluster and its exchange (quorum queues hold a Raft group on each node). */
export async function deleteClusterNamespace(namespace: string): Promise<void> {
  for (const node of cluster.nodes) {
    if (!(await cluster.isListening(node))) continue;
    const { stdout } = await cluster.ctl(node, ['list_queues', 'name', '-q', '--no-table-headers']);
    const connection = await amqp.connect(node.url);
    try {
      const channel = await connection.createChannel();
      for (const queue of stdout.split('\n').filter((name) => name.startsWith(`${namespace}:`))) await channel.deleteQueue(queue);
      await channel.deleteExchange(namespace);
    } finally {
      await connection.close();
    }
    return;
  }
}
