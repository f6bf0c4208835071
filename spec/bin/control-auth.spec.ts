import assert from 'node:assert/strict';
import { chmod, copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureControlKey } from '../../internal.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, airlockWithEnv, RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';

/**
 * `airlock restart|stop|start` over RabbitMQ must prove it comes from the operator: it signs
 * with the control key file that `airlock run` created, and whoever lacks that key (another
 * user, a key of their own, a key others can read) is refused. Status stays open to anyone on
 * the broker; the admin socket keeps working without a key.
 */
describe('airlock restart over RabbitMQ needs the control key', function () {
  this.timeout(40_000);
  const namespace = uniqueNamespace('cli-auth');
  let cwd: string;
  let elsewhere: string;
  let edge: RunningNode;
  const amqp = ['--amqp', BROKER_URL, '--namespace', namespace];
  const keyPath = () => join(cwd, '.airlock', 'control.key');
  /** The CLI as another user would run it: same broker, but its own (or no) key file. */
  const withKey = (path: string, ...args: string[]) => airlockWithEnv(elsewhere, { AIRLOCK_CONTROL_KEY_FILE: path }, ...args, ...amqp);

  before(async () => {
    await requireBroker();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-auth-'));
    elsewhere = await mkdtemp(join(tmpdir(), 'airlock-other-'));
    edge = await RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'edge', ...amqp);
  });

  after(async () => {
    await edge?.stop();
    await rm(cwd, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
    await cleanup(namespace, ['edge/http', 'edge/smtp', 'edge/bridges/in', 'edge/bridges/out', 'edge/$control']);
  });

  it('airlock run created the key: 32 bytes, mode 0600 in a 0700 directory', async () => {
    assert.equal((await stat(join(cwd, '.airlock'))).mode & 0o777, 0o700);
    assert.equal((await stat(keyPath())).mode & 0o777, 0o600);
    assert.equal((await readFile(keyPath())).byteLength, 32);
  });

  it('restarts with the right key file, here or copied elsewhere', async () => {
    assert.deepEqual(await airlock(cwd, 'restart', 'edge/http', ...amqp), {
      code: 0,
      stdout: 'restarted edge/http: running, restarts 1, mailbox 0\n',
      stderr: '',
    });
    const copy = join(elsewhere, 'copied.key');
    await copyFile(keyPath(), copy);
    await chmod(copy, 0o600);
    assert.deepEqual(await withKey(copy, 'restart', 'edge/http'), {
      code: 0,
      stdout: 'restarted edge/http: running, restarts 2, mailbox 0\n',
      stderr: '',
    });
  });

  it('refuses another key, a missing key and a key others can read; the actor is untouched', async () => {
    const foreign = join(elsewhere, 'foreign', 'control.key');
    await ensureControlKey(foreign);
    assert.deepEqual(await withKey(foreign, 'stop', 'edge/smtp'), {
      code: 1,
      stdout: '',
      stderr: "airlock: CONTROL_UNAUTHORIZED: control request to node edge refused: bad authenticator for 'stop' (not made with this node's control key)\n",
    });
    const missing = join(elsewhere, 'none.key');
    assert.deepEqual(await withKey(missing, 'stop', 'edge/smtp'), {
      code: 1,
      stdout: '',
      stderr: `airlock: CONTROL_KEY: control key ${missing}: no such file (\`airlock run\` creates it beside the node's admin socket; copy it here, mode 0600, or point $AIRLOCK_CONTROL_KEY_FILE at it)\n`,
    });
    const readable = join(elsewhere, 'readable.key');
    await copyFile(keyPath(), readable);
    await chmod(readable, 0o644);
    assert.deepEqual(await withKey(readable, 'stop', 'edge/smtp'), {
      code: 1,
      stdout: '',
      stderr: `airlock: CONTROL_KEY: control key ${readable}: mode 0644 lets other users read it; make it owner-only (chmod 600 ${readable})\n`,
    });
    const status = await withKey(missing, 'status', 'edge/smtp', '--json');
    assert.equal(status.code, 0, status.stderr);
    const [node] = JSON.parse(status.stdout) as { tree: { address: string; state: string; restarts: number }[] }[];
    assert.deepEqual(node.tree.map((c) => [c.address, c.state, c.restarts]), [['edge/smtp', 'running', 0]]);
  });

  it('keeps the admin socket working without a key: the owner-only socket is the proof', async () => {
    assert.deepEqual(await airlockWithEnv(cwd, { AIRLOCK_CONTROL_KEY_FILE: join(elsewhere, 'none.key') }, 'restart', 'edge/smtp'), {
      code: 0,
      stdout: 'restarted edge/smtp: running, restarts 1, mailbox 0\n',
      stderr: '',
    });
  });

  it('airlock run refuses to start with a key file others can read', async () => {
    const readable = join(elsewhere, 'run-readable.key');
    await copyFile(keyPath(), readable);
    await chmod(readable, 0o640);
    const result = await airlockWithEnv(elsewhere, { AIRLOCK_CONTROL_KEY_FILE: readable }, 'run', SPLIT_TOPOLOGY, '--node', 'core', ...amqp);
    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: `airlock: CONTROL_KEY: control key ${readable}: mode 0640 lets other users read it; make it owner-only (chmod 600 ${readable})\n`,
    });
  });
});
