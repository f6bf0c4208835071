import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTER_HEADERS, deadLetterQueueName, encodeEnvelope, queueName } from '../../internal.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';
import { until } from '../support/fixtures.ts';

/** A round trip through the broker and a CLI process: polled every 50 ms, for up to 10 s. */
const BROKER_WAIT = { withinMs: 10_000, everyMs: 50 };

const EDGE = ['edge/http', 'edge/smtp', 'edge/bridges/in', 'edge/bridges/out', 'edge/$control'];

/**
 * `airlock dead-letters` against a real broker and a running node: what the node dead-lettered
 * is listed with its reason, purged, or moved back to its actor's queue, and a dead letter
 * leaves the dead-letter queue only once its copy is safe in the queue it goes back to.
 */
describe('airlock dead-letters list|requeue|purge over RabbitMQ', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('cli-dlq');
  const deadLetters = deadLetterQueueName(namespace);
  const amqp = ['--amqp', BROKER_URL, '--namespace', namespace];
  let cwd: string;
  let edge: RunningNode;
  let raw: Awaited<ReturnType<typeof rawChannel>>;

  before(async () => {
    await requireBroker();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-dlq-'));
    edge = await RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'edge', ...amqp);
    raw = await rawChannel();
  });

  after(async () => {
    await edge?.stop();
    await raw?.connection.close();
    await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, EDGE);
  });

  const publish = (queue: string, content: Buffer, headers: Record<string, unknown> = {}) =>
    new Promise<void>((resolve, reject) =>
      raw.channel.sendToQueue(queue, content, { persistent: true, headers }, (error) => (error ? reject(error) : resolve())),
    );
  const depth = async () => (await raw.channel.checkQueue(deadLetters)).messageCount;
  /** A dead letter as the transport writes one for a message that crashed its actor 3 times. */
  const crashedLetter = (to: string, id: string) =>
    publish(deadLetters, Buffer.from(encodeEnvelope({ id, to, type: 'bump', body: {}, attempt: 2 })), {
      [DEAD_LETTER_HEADERS.reason]: 'ACTOR_CRASHED',
      [DEAD_LETTER_HEADERS.error]: `actor ${to} crashed handling the message: flaky`,
      [DEAD_LETTER_HEADERS.address]: to,
      [DEAD_LETTER_HEADERS.queue]: queueName(namespace, to),
      [DEAD_LETTER_HEADERS.attempts]: 3,
    });

  it('list shows what the node dead-lettered, with its reason, and leaves it there', async () => {
    await publish(queueName(namespace, 'edge/http'), Buffer.from('not msgpack at all \xff', 'latin1'));
    await until(async () => (await depth()) === 1, 'the garbage to be dead-lettered', BROKER_WAIT);
    const result = await airlock(cwd, 'dead-letters', 'list', ...amqp);
    assert.deepEqual([result.code, result.stderr], [0, '']);
    const [letter, total] = result.stdout.replace(/\n$/, '').split('\n');
    assert.match(letter, /^1\. MALFORMED_FRAME edge\/http \(20 bytes\): malformed frame: (not msgpack|not an envelope array)$/);
    assert.equal(total, `1 dead letter in ${deadLetters}`);
    assert.equal(await depth(), 1, 'list removes nothing');
  });

  it('purge empties the dead-letter queue', async () => {
    assert.deepEqual(await airlock(cwd, 'dead-letters', 'purge', ...amqp), { code: 0, stdout: `purged 1 dead letter from ${deadLetters}\n`, stderr: '' });
    assert.equal(await depth(), 0);
    assert.equal((await airlock(cwd, 'dead-letters', 'list', ...amqp)).stdout, `0 dead letters in ${deadLetters}\n`);
  });

  it('requeue moves a valid dead letter back to its actor, which handles it', async () => {
    await crashedLetter('edge/http', 'requeue-spec-1');
    assert.deepEqual(await airlock(cwd, 'dead-letters', 'requeue', ...amqp), {
      code: 0,
      stdout: `requeued ACTOR_CRASHED to edge/http\nrequeued 1, kept 0 in ${deadLetters}\n`,
      stderr: '',
    });
    assert.equal(await depth(), 0);
    await until(async () => {
      const status = await airlock(cwd, 'status', 'edge/http', '--node', 'edge', '--json', ...amqp);
      return JSON.parse(status.stdout)[0].tree[0].handled === 1;
    }, 'edge/http to handle the requeued bump', BROKER_WAIT);
  });

  it('requeue keeps a dead letter whose queue is gone, and says why', async () => {
    await crashedLetter('edge/gone', 'requeue-spec-2');
    assert.deepEqual(await airlock(cwd, 'dead-letters', 'requeue', ...amqp), {
      code: 1,
      stdout: `requeued 0, kept 1 in ${deadLetters}\n`,
      stderr: `airlock: kept a dead letter for edge/gone: no queue '${queueName(namespace, 'edge/gone')}' (does a node still serve edge/gone?)\n`,
    });
    assert.equal(await depth(), 1, 'still there');
  });

  it('a namespace no node ever used is a usage error, not an empty list', async () => {
    const result = await airlock(cwd, 'dead-letters', 'list', '--amqp', BROKER_URL, '--namespace', `${namespace}-typo`);
    assert.equal(result.code, 2);
    assert.ok(
      result.stderr.startsWith(`airlock: BAD_USAGE: no queue '${namespace}-typo:$dead-letters' on the broker: no node has run in namespace '${namespace}-typo'; is --namespace right? (`),
      result.stderr,
    );
  });
});
