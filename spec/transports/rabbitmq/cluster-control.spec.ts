import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { airlock, RunningNode, SPLIT_TOPOLOGY } from '../../bin/airlock-process.ts';
import { uniqueNamespace } from './broker.ts';
import { cluster, CLUSTER_START_MS, deleteClusterNamespace, healCluster, requireCluster } from './cluster.ts';

/**
 * The control plane on the test cluster with one broker node down: two `airlock run` processes
 * and the CLI are given the three nodes (`--amqp a,b,c`), all on the first one, which also holds
 * the nodes' classic `$control` queues. It is killed: the processes move to the next node and
 * declare their control queues there, the CLI skips the dead node, and status and restart answer.
 */
describe('RabbitMQ cluster: airlock status and restart with a broker node down', function () {
  this.timeout(CLUSTER_START_MS + 90_000);
  const namespace = uniqueNamespace('cluster-control');
  const amqp = ['--amqp', cluster.urls.join(','), '--namespace', namespace];
  let cwd: string;
  let edge: RunningNode | undefined;
  let core: RunningNode | undefined;
  const cli = (...args: string[]) => airlock(cwd, ...args, ...amqp);

  before(async () => {
    await requireCluster();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-cluster-control-'));
    [edge, core] = await Promise.all([
      RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'edge', ...amqp),
      RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'core', ...amqp),
    ]);
  });

  after(async () => {
    await healCluster();
    await Promise.all([edge?.stop(), core?.stop()]);
    await rm(cwd, { recursive: true, force: true });
    await deleteClusterNamespace(namespace);
  });

  it('answers status and restart before, during and after the loss of the node everyone was on', async () => {
    assert.equal((await cli('restart', 'edge/http')).stdout, 'restarted edge/http: running, restarts 1, mailbox 0\n');

    const first = cluster.nodes[0]!;
    await cluster.kill(first.name);
    const killedAt = Date.now();
    // The processes notice at once (their sockets close); a CLI started now skips the dead node.
    const status = await cli('status', 'edge/http', '--node', 'edge');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /edge\/http/);
    const restart = await cli('restart', 'core/matcher');
    assert.equal(restart.stdout, 'restarted core/matcher: running, restarts 1, mailbox 0\n', restart.stderr);
    assert.equal((await cli('restart', 'edge/http')).stdout, 'restarted edge/http: running, restarts 2, mailbox 0\n');
    console.log(`      with ${first.name} down: status and two restarts answered within ${Date.now() - killedAt} ms of the kill`);

    await cluster.restart(first.name);
    assert.equal((await cli('restart', 'edge/http')).stdout, 'restarted edge/http: running, restarts 3, mailbox 0\n');
  });
});
