import assert from 'node:assert/strict';
import { Packr } from 'msgpackr';
import { ActorCrashedError, child, createSystem, defineActor, encodeEnvelope, startTree, supervisor, type ActorSystem, type SystemEvent } from '../../../internal.ts';
import { connectRabbit, DEAD_LETTER_HEADERS, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

const MAX_FRAME_BYTES = 4_096;

describe('RabbitMQ transport: poison and garbage go to the dead-letter queue', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('dlq');
  let transport: RabbitTransport;
  let system: ActorSystem;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  const jobs: number[] = [];
  const events: string[] = [];

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace, maxFrameBytes: MAX_FRAME_BYTES, maxAttempts: 3 });
    system = createSystem({ name: 'dlq', transport });
    system.events.subscribe((event: SystemEvent) => {
      if (event.kind === 'rejected' || event.kind === 'dead-lettered') events.push(`${event.kind} ${event.address} ${(event.reason as { code?: string }).code}`);
    });
    const work = defineActor({
      protocol: Work,
      setup: () => ({
        job: ({ seq }) => void jobs.push(seq),
        crash: () => {
          throw new Error('poison');
        },
        echo: ({ text }) => {
          if (text === 'boom') throw new Error('echo exploded');
          return { text, pid: process.pid };
        },
      }),
    });
    startTree(system, supervisor({ intensity: { maxRestarts: 10 }, children: [child('work', work)] }), 'node');
    await transport.ready();
    raw = await rawChannel();
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 100 });
    await transport.close();
    await raw.connection.close();
    await cleanup(namespace, ['node/work']);
  });

  /** Takes `count` dead letters off the queue: each one's reason header, error text and bytes. */
  async function deadLetters(count: number) {
    const found: { reason: string; error: string; attempts?: number; content: Buffer }[] = [];
    const deadline = Date.now() + 10_000;
    while (found.length < count && Date.now() < deadline) {
      const message = await raw.channel.get(transport.deadLetterQueue, { noAck: true });
      if (message === false) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const headers = message.properties.headers ?? {};
      found.push({
        reason: String(headers[DEAD_LETTER_HEADERS.reason]),
        error: String(headers[DEAD_LETTER_HEADERS.error]),
        attempts: headers[DEAD_LETTER_HEADERS.attempts] as number | undefined,
        content: message.content,
      });
    }
    return found;
  }

  const publishRaw = (content: Buffer) =>
    new Promise<void>((resolve, reject) =>
      raw.channel.sendToQueue(transport.queueOf('node/work'), content, { persistent: true }, (error) => (error ? reject(error) : resolve())),
    );
  const frame = (type: string, body: unknown) => Buffer.from(encodeEnvelope({ id: `raw-${type}`, to: 'node/work', type, body, attempt: 0 }));

  it('dead-letters garbage, unknown types, invalid bodies and oversized frames with their reason; the actor goes on', async () => {
    const garbage = Buffer.from('definitely not msgpack \xff\x00', 'latin1');
    await publishRaw(garbage);
    await publishRaw(frame('launch', { seq: 1 }));
    await publishRaw(frame('job', { seq: 'one' }));
    await publishRaw(frame('job', { seq: 1, padding: 'x'.repeat(MAX_FRAME_BYTES) }));
    await publishRaw(Buffer.from(new Packr({ useRecords: false }).pack({ not: 'an envelope' })));
    await system.ref('node/work', Work).tell('job', { seq: 42 });

    await waitFor('the good message', () => jobs.length === 1);
    assert.deepEqual(jobs, [42]);
    const found = await deadLetters(5);
    assert.deepEqual(
      found.map(({ reason }) => reason),
      ['MALFORMED_FRAME', 'UNKNOWN_MESSAGE_TYPE', 'INVALID_MESSAGE', 'OVERSIZED_MESSAGE', 'MALFORMED_FRAME'],
    );
    assert.deepEqual(found[0].content, garbage, 'the dead letter keeps the original bytes');
    assert.equal(found[0].error, 'malformed frame: not msgpack');
    assert.equal(found[1].error, "protocol work has no message 'launch'");
    assert.equal(transport.stats.refused, 5);
    assert.deepEqual(system.counters, { rejected: 5, deadLettered: 5, droppedReplies: 0 });
    assert.deepEqual(events, [
      'rejected node/work MALFORMED_FRAME',
      'dead-lettered node/work MALFORMED_FRAME',
      'rejected node/work UNKNOWN_MESSAGE_TYPE',
      'dead-lettered node/work UNKNOWN_MESSAGE_TYPE',
      'rejected node/work INVALID_MESSAGE',
      'dead-lettered node/work INVALID_MESSAGE',
      'rejected node/work OVERSIZED_MESSAGE',
      'dead-lettered node/work OVERSIZED_MESSAGE',
      'rejected node/work MALFORMED_FRAME',
      'dead-lettered node/work MALFORMED_FRAME',
    ]);
  });

  it('dead-letters a message that crashes the actor once, as in-process: the next incarnation takes the next message', async () => {
    jobs.length = 0;
    events.length = 0;
    const work = system.ref('node/work', Work);
    await work.tell('crash', {});
    await work.tell('job', { seq: 7 });

    await waitFor('the message after the poison', () => jobs.length === 1);
    assert.deepEqual(jobs, [7]);
    const [poison] = await deadLetters(1);
    assert.equal(poison.reason, 'ACTOR_CRASHED');
    assert.equal(poison.attempts, 1);
    assert.equal(poison.error, 'actor node/work crashed handling the message: poison');
    assert.deepEqual(events, ['dead-lettered node/work ACTOR_CRASHED']);
    const [status] = system.status();
    assert.equal(status.children?.[0].restarts, 1);
  });

  it('answers an ask whose handler crashes with ActorCrashedError, rebuilt as its own class from its wire form', async () => {
    const error = await system.ref('node/work', Work).ask('echo', { text: 'boom' }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof ActorCrashedError, String(error));
    assert.equal(error.address, 'node/work');
    assert.equal(error.message, 'actor node/work crashed handling the message: echo exploded');
    const [poison] = await deadLetters(1);
    assert.equal(poison.attempts, 1);
  });
});
