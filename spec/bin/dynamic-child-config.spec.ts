import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectRabbit, createSystem } from '../../internal.ts';
import { Customer } from '../support/dynamic-children.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, RunningNode } from './airlock-process.ts';

const DYNAMIC_TOPOLOGY = fileURLToPath(new URL('./fixtures/dynamic-topology.ts', import.meta.url));
const firstLine = (text: string) => text.split('\n')[0];

// `core/accounts` is a dynamic supervisor whose template needs `{ limit: positive integer }`.
describe('airlock start <dynamic supervisor>/<new id> --config over the admin socket', function () {
  // Real processes (tsx start-up) on a busy 2-core machine: a few seconds each at worst.
  this.timeout(60_000);
  let cwd: string;
  let core: RunningNode;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'airlock-dyncfg-'));
    core = await RunningNode.start(cwd, DYNAMIC_TOPOLOGY, '--node', 'core');
  });

  after(async () => {
    await core?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('starts a new child with a config its template accepts, from --config or --config-file', async () => {
    assert.deepEqual(await airlock(cwd, 'start', 'core/accounts/alice', '--config', '{"limit":3}'), {
      code: 0,
      stdout: 'started core/accounts/alice: running, restarts 0, mailbox 0\n',
      stderr: '',
    });
    await writeFile(join(cwd, 'bob.json'), '{ "limit": 5 }\n');
    assert.deepEqual(await airlock(cwd, 'start', 'core/accounts/bob', '--config-file', 'bob.json'), {
      code: 0,
      stdout: 'started core/accounts/bob: running, restarts 0, mailbox 0\n',
      stderr: '',
    });
  });

  it('refuses, typed, a config the template\'s schema rejects, and a template that needs one started without', async () => {
    const wrong = await airlock(cwd, 'start', 'core/accounts/carol', '--config', '{"limit":-1}');
    assert.equal(wrong.code, 1);
    assert.match(firstLine(wrong.stderr), /^airlock: INVALID_SPEC: invalid spec of child "carol": config does not match the actor's schema: limit: /);
    const none = await airlock(cwd, 'start', 'core/accounts/carol');
    assert.equal(none.code, 1);
    assert.match(firstLine(none.stderr), /^airlock: INVALID_SPEC: invalid spec of child "carol": config does not match the actor's schema/);
    const status = await airlock(cwd, 'status', 'core/accounts');
    assert.ok(!status.stdout.includes('carol'), 'no child was left behind');
  });

  it('refuses a taken id (DUPLICATE_CHILD) and an address under no dynamic supervisor (NOT_A_DYNAMIC_SUPERVISOR)', async () => {
    const taken = await airlock(cwd, 'start', 'core/accounts/alice', '--config', '{"limit":4}');
    assert.deepEqual([taken.code, firstLine(taken.stderr).split(':').slice(0, 2).join(':')], [1, 'airlock: DUPLICATE_CHILD']);
    const plain = await airlock(cwd, 'start', 'core/ledger/x', '--config', '{"limit":4}');
    assert.deepEqual([plain.code, firstLine(plain.stderr).split(':').slice(0, 2).join(':')], [1, 'airlock: NOT_A_DYNAMIC_SUPERVISOR']);
  });

  it('a config that is not JSON, or given twice, is a usage error before any connection; only start takes one', async () => {
    const notJson = await airlock(cwd, 'start', 'core/accounts/dave', '--config', '{limit: 3}');
    assert.equal(notJson.code, 2);
    assert.match(firstLine(notJson.stderr), /^airlock: BAD_USAGE: --config is not JSON: /);
    const both = await airlock(cwd, 'start', 'core/accounts/dave', '--config', '{}', '--config-file', 'bob.json');
    assert.deepEqual([both.code, firstLine(both.stderr)], [2, 'airlock: BAD_USAGE: give --config or --config-file, not both']);
    const missing = await airlock(cwd, 'start', 'core/accounts/dave', '--config-file', 'nowhere.json');
    assert.deepEqual([missing.code, firstLine(missing.stderr)], [2, `airlock: BAD_USAGE: --config-file ${join(cwd, 'nowhere.json')}: no such file`]);
    const restart = await airlock(cwd, 'restart', 'core/ledger', '--config', '{}');
    assert.deepEqual([restart.code, firstLine(restart.stderr)], [2, "airlock: BAD_USAGE: 'restart' takes no --config"]);
  });
});

describe('airlock start <dynamic supervisor>/<new id> --config over RabbitMQ', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('clidyncfg');
  const wiring = ['--amqp', BROKER_URL, '--namespace', namespace];
  let cwd: string;
  let core: RunningNode;

  before(async () => {
    await requireBroker();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-dyncfg-'));
    core = await RunningNode.start(cwd, DYNAMIC_TOPOLOGY, '--node', 'core', ...wiring);
  });

  after(async () => {
    await core?.stop();
    await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, ['core/accounts/erin', 'core/ledger', 'core/$control']);
  });

  it('signs the config with the request; the child runs with it', async () => {
    assert.deepEqual(await airlock(cwd, 'start', 'core/accounts/erin', '--config', '{"limit":7}', ...wiring), {
      code: 0,
      stdout: 'started core/accounts/erin: running, restarts 0, mailbox 0\n',
      stderr: '',
    });
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const client = createSystem({ name: 'spec-client', transport });
    try {
      assert.equal(await client.ref('core/accounts/erin', Customer).ask('limit', {}, { timeoutMs: 10_000 }), 7);
    } finally {
      await client.stop({ drainTimeoutMs: 0 });
      await transport.close();
    }
    const wrong = await airlock(cwd, 'start', 'core/accounts/frank', '--config', '{"limit":"many"}', ...wiring);
    assert.equal(wrong.code, 1);
    assert.match(firstLine(wrong.stderr), /^airlock: INVALID_SPEC: invalid spec of child "frank": config does not match the actor's schema: limit: /);
  });
});
