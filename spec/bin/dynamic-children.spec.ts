import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, RunningNode } from './airlock-process.ts';

const DYNAMIC_TOPOLOGY = fileURLToPath(new URL('./fixtures/dynamic-topology.ts', import.meta.url));

/** The `airlock status` lines naming a dynamic supervisor's children, without the tree's drawing. */
function customerLines(table: string): string[] {
  return table
    .split('\n')
    .filter((line) => line.includes('core/customers/'))
    .map((line) => line.replace(/^[│├└─ ]*/, '').replace(/\s+/g, ' ').trim());
}

describe('airlock start|stop <dynamic supervisor>/<new id> over RabbitMQ', function () {
  // Real processes (tsx start-up) and a real broker on a busy 2-core machine: seconds each, 60 s is far past them.
  this.timeout(60_000);
  const namespace = uniqueNamespace('clidyn');
  const wiring = ['--amqp', BROKER_URL, '--namespace', namespace];
  let cwd: string;
  let core: RunningNode;
  const cli = (...args: string[]) => airlock(cwd, ...args, ...wiring);

  before(async () => {
    await requireBroker();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-dyn-'));
    core = await RunningNode.start(cwd, DYNAMIC_TOPOLOGY, '--node', 'core', ...wiring);
  });

  after(async () => {
    await core?.stop();
    await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, ['core/customers/alice', 'core/ledger', 'core/$control']);
  });

  it('starts a new child from the template, which status then lists; stop removes it', async () => {
    assert.deepEqual(await cli('start', 'core/customers/alice'), { code: 0, stdout: 'started core/customers/alice: running, restarts 0, mailbox 0\n', stderr: '' });
    const listed = await cli('status', '--node', 'core');
    assert.equal(listed.code, 0);
    assert.deepEqual(customerLines(listed.stdout), ['core/customers/alice actor running 0 0 0 0']);

    // As for any child, starting a running one leaves it as it is.
    assert.deepEqual(await cli('start', 'core/customers/alice'), { code: 0, stdout: 'started core/customers/alice: running, restarts 0, mailbox 0\n', stderr: '' });

    assert.deepEqual(await cli('stop', 'core/customers/alice'), { code: 0, stdout: 'stopped core/customers/alice: stopped, restarts 0\n', stderr: '' });
    assert.deepEqual(customerLines((await cli('status', '--node', 'core')).stdout), []);
  });
});
