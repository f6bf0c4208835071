import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, requireBroker, uniqueNamespace } from './broker.ts';
import { startNode, waitFor, type NodeProcess } from './children.ts';

describe('RabbitMQ transport: two processes', function () {
  this.timeout(40_000);
  const namespace = uniqueNamespace('cross');
  const dir = mkdtempSync(join(tmpdir(), 'airlock-cross-'));
  const log = join(dir, 'handled.log');
  let consumer: NodeProcess | undefined;

  before(requireBroker);
  after(async () => {
    consumer?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await cleanup(namespace, ['work']);
  });

  it('delivers tells and answers asks between two child processes', async () => {
    consumer = startNode(['consumer', namespace, log]);
    const { ready: consumerPid } = await consumer.next((m) => 'ready' in m);
    const client = startNode(['client', namespace, '500', '20']);
    const report = await client.next((m) => 'told' in m);

    assert.equal(report.told, 500);
    assert.deepEqual(
      report.replies,
      Array.from({ length: 20 }, (_, i) => ({ text: `hello ${i}`, pid: consumerPid })),
    );
    const handledSeqs = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split(' ')[1]));
    await waitFor('500 jobs handled', () => handledSeqs().length >= 500);
    assert.deepEqual(handledSeqs().sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i));
    assert.equal(await client.exited, 0);
  });
});
