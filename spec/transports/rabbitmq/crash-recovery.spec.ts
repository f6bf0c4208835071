import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem } from '../../../internal.ts';
import { connectRabbit } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { startNode, waitFor, type NodeProcess } from './children.ts';

const MESSAGES = 10_000;

describe('RabbitMQ transport: kill -9 of the consuming node', function () {
  this.timeout(90_000);
  const namespace = uniqueNamespace('kill');
  const dir = mkdtempSync(join(tmpdir(), 'airlock-kill-'));
  const log = join(dir, 'handled.log');
  const nodes: NodeProcess[] = [];

  before(requireBroker);
  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await cleanup(namespace, ['work']);
  });

  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

  it('handles every confirmed message exactly once after the node restarts', async () => {
    const first = startNode(['consumer', namespace, log]);
    nodes.push(first);
    await first.next((m) => 'ready' in m);

    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const system = createSystem({ name: 'producer', transport });
    const work = system.ref('work', Work);
    const confirmed: number[] = [];
    const sending = Promise.all(
      Array.from({ length: MESSAGES }, (_, seq) => work.tell('job', { seq }).then(() => void confirmed.push(seq))),
    );

    await waitFor('the first node to be busy', () => lines().length >= 1_500);
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');
    const handledBeforeKill = lines().length;
    assert.ok(handledBeforeKill < MESSAGES, `killed after ${handledBeforeKill} of ${MESSAGES}: too late to test anything`);

    const second = startNode(['consumer', namespace, log]);
    nodes.push(second);
    await second.next((m) => 'ready' in m);
    await sending;
    assert.equal(confirmed.length, MESSAGES);
    await waitFor('every message handled', () => lines().length >= MESSAGES, 60_000);
    second.child.send('stop');
    await second.next((m) => 'stats' in m);
    assert.equal(await second.exited, 0);

    const handled = lines();
    const ids = new Set(handled.map((line) => line.split(' ')[0]));
    const seqs = handled.map((line) => Number(line.split(' ')[1])).sort((a, b) => a - b);
    assert.equal(handled.length, MESSAGES, 'each message handled once');
    assert.equal(ids.size, MESSAGES, 'every envelope id once');
    assert.deepEqual(seqs, Array.from({ length: MESSAGES }, (_, i) => i));
    await system.stop();
    await transport.close();
  });
});
