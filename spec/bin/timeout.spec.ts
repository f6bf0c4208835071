import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';

/** Starting a child process with tsx costs a second or two on a busy machine; the wait itself is what is bounded. */
const STARTUP_ALLOWANCE_MS = 8_000;

/**
 * `--timeout` bounds the wait for a node that never answers, and the error says which node,
 * which namespace, and why it may be silent (down, or in another namespace), instead of an
 * ask timeout to `nowhere/$control` after 30 s.
 */
describe('airlock --timeout: a node that does not answer', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('cli-timeout');
  const other = uniqueNamespace('cli-timeout-other');
  let cwd: string;
  let edge: RunningNode;

  before(async () => {
    await requireBroker();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-timeout-'));
    edge = await RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'edge', '--amqp', BROKER_URL, '--namespace', namespace);
  });

  after(async () => {
    await edge?.stop();
    await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, ['edge/http', 'edge/smtp', 'edge/bridges/in', 'edge/bridges/out', 'edge/$control']);
    await cleanup(other, []);
  });

  async function timed(...args: string[]) {
    const started = Date.now();
    const result = await airlock(cwd, ...args);
    return { ...result, elapsedMs: Date.now() - started };
  }

  it('status of a node that does not exist fails at once, naming node and namespace', async () => {
    const result = await timed('status', '--node', 'nowhere', '--amqp', BROKER_URL, '--namespace', namespace, '--timeout', '700');
    assert.deepEqual([result.code, result.stdout], [1, '']);
    assert.equal(
      result.stderr,
      `airlock: NODE_DOWN: node nowhere is not running (namespace '${namespace}' on the broker has no control queue for it): the node is down, or runs in another namespace (is it started with --namespace ${namespace}?)\n`,
    );
    assert.ok(result.elapsedMs < 700 + STARTUP_ALLOWANCE_MS, `took ${result.elapsedMs} ms`);
  });

  it('status without --node shows every node answering the roll call of the namespace', async () => {
    // --timeout is the roll call's window too: generous, as a busy machine delays the node's answer.
    const result = await airlock(cwd, 'status', '--amqp', BROKER_URL, '--namespace', namespace, '--timeout', '5000', '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { node: string }[]).map(({ node }) => node), ['edge']);
  });

  it('status without --node in a namespace where nothing runs says so, naming the namespace', async () => {
    const result = await timed('status', '--amqp', BROKER_URL, '--namespace', other, '--timeout', '700');
    assert.deepEqual([result.code, result.stdout], [1, '']);
    assert.equal(result.stderr, `airlock: NO_NODES: no node answered the roll call on namespace '${other}' (are they started with --namespace ${other}?)\n`);
    assert.ok(result.elapsedMs < 700 + STARTUP_ALLOWANCE_MS, `took ${result.elapsedMs} ms`);
  });

  it('a restart asked in the wrong namespace fails the same way; the node is untouched', async () => {
    // Signed with the key `airlock run` created here: only the namespace is wrong.
    const result = await timed('restart', 'edge/http', '--amqp', BROKER_URL, '--namespace', other, '--timeout', '700');
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `airlock: NODE_DOWN: node edge is not running (namespace '${other}' on the broker has no control queue for it): the node is down, or runs in another namespace (is it started with --namespace ${other}?)\n`,
    );
    assert.ok(result.elapsedMs < 700 + STARTUP_ALLOWANCE_MS, `took ${result.elapsedMs} ms`);
    const status = await airlock(cwd, 'status', 'edge/http', '--node', 'edge', '--json', '--amqp', BROKER_URL, '--namespace', namespace, '--timeout', '10000');
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout)[0].tree[0].restarts, 0);
  });
});
