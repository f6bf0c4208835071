import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSystem, defineActor, type SystemEvent } from '../../../internal.ts';
import { connectRabbit, DEAD_LETTER_HEADERS, HEADERS_DROPPED, type RabbitOptions } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, closeConnections, connectionsOf, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

const run = promisify(execFile);

/**
 * 16 headers of 4,073 characters: 4 + 16 × (1 + 8 + 5 + 4,073) = 65,396 bytes as an AMQP table,
 * just under amqplib's 64 KiB encoding buffer, which a dead-letter copy adding its reason to them overflows.
 */
const HOSTILE_HEADERS = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`x-pad-${String(i).padStart(2, '0')}`, 'h'.repeat(4_073)]));
const HOSTILE_HEADER_BYTES = 65_396;
const GARBAGE = Buffer.from('not an envelope at all', 'latin1');
const VALID_MESSAGES = 1_000;

/** Messages in a queue, ready or delivered and not yet acknowledged. */
async function messagesIn(queue: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', 'name', 'messages', '-q', '--no-table-headers']);
  const line = stdout.split('\n').find((row) => row.split('\t')[0] === queue);
  if (line === undefined) throw new Error(`no queue ${queue}`);
  return Number(line.split('\t')[1]);
}

/** The depth of `queue` once the last acks reached the broker (polled for up to 5 s). */
async function settledDepth(queue: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  let depth = await messagesIn(queue);
  while (depth > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    depth = await messagesIn(queue);
  }
  return depth;
}

/** Takes the next dead letter off `queue`, waiting up to 10 s for it. */
async function takeDeadLetter({ channel }: Awaited<ReturnType<typeof rawChannel>>, queue: string) {
  const deadline = Date.now() + 10_000;
  let message = await channel.get(queue, { noAck: true });
  while (message === false && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    message = await channel.get(queue, { noAck: true });
  }
  assert.ok(message, 'a dead letter');
  return message;
}

/** A node hosting the `work` actor that records the jobs it handles, and a raw channel beside it. */
async function openWorkNode(namespace: string, name: string, options: Partial<RabbitOptions> = {}) {
  const transport = await connectRabbit({ url: BROKER_URL, namespace, ...options });
  const system = createSystem({ name, transport });
  const handled: number[] = [];
  system.spawn(
    defineActor({
      protocol: Work,
      setup: () => ({ job: ({ seq }) => void handled.push(seq), crash: () => {}, echo: ({ text }) => ({ text, pid: 0 }) }),
    }),
    'work',
  );
  await transport.ready();
  const raw = await rawChannel();
  return {
    transport,
    system,
    raw,
    handled,
    /** Publishes the hostile message straight from amqplib, as a peer on the broker would. */
    publishHostile: () =>
      new Promise<void>((resolve, reject) =>
        raw.channel.sendToQueue(transport.queueOf('work'), GARBAGE, { persistent: true, headers: HOSTILE_HEADERS }, (error) => (error ? reject(error) : resolve())),
      ),
    async close(): Promise<void> {
      await system.stop({ drainTimeoutMs: 100 });
      await transport.close();
      await raw.connection.close();
      await cleanup(namespace, ['work']);
    },
  };
}

describe('RabbitMQ transport: a message with oversized headers cannot stall a queue', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('headers');
  let node: Awaited<ReturnType<typeof openWorkNode>>;
  const events: string[] = [];
  let connected = 0;

  before(async () => {
    await requireBroker();
    node = await openWorkNode(namespace, 'headers', { reconnect: { minMs: 50, maxMs: 500 } });
    node.transport.events.subscribe((event) => void (event.kind === 'connected' && connected++));
    node.system.events.subscribe((event: SystemEvent) => {
      if (event.kind === 'rejected' || event.kind === 'dead-lettered') events.push(`${event.kind} ${event.address} ${(event.reason as { code?: string }).code}`);
    });
  });

  after(() => node.close());

  /** The hostile message straight from amqplib, then `VALID_MESSAGES` tells starting at `first`. */
  async function hostileThenValid(first: number): Promise<void> {
    await node.publishHostile();
    const work = node.system.ref('work', Work);
    await Promise.all(Array.from({ length: VALID_MESSAGES }, (_, i) => work.tell('job', { seq: first + i })));
  }

  /** Every valid message handled, the hostile one dead-lettered without its headers, nothing left in the queues. */
  async function assertHandledAndDeadLettered(first: number): Promise<void> {
    const { handled, raw, transport } = node;
    await waitFor(`${VALID_MESSAGES} valid messages handled`, () => handled.length === first + VALID_MESSAGES, 20_000);
    assert.deepEqual(handled, Array.from({ length: first + VALID_MESSAGES }, (_, i) => i));
    const dead = await takeDeadLetter(raw, transport.deadLetterQueue);
    const headers = dead.properties.headers ?? {};
    assert.equal(headers[DEAD_LETTER_HEADERS.reason], 'OVERSIZED_HEADERS');
    assert.equal(headers[DEAD_LETTER_HEADERS.error], `message headers of ${HOSTILE_HEADER_BYTES} bytes exceed the limit of 16384 bytes`);
    assert.equal(headers[HEADERS_DROPPED], HOSTILE_HEADER_BYTES);
    assert.equal(headers['x-pad-00'], undefined, 'the original headers are left out of the copy');
    assert.deepEqual(dead.content, GARBAGE, 'the dead letter keeps the original bytes');
    assert.deepEqual(events, ['rejected work OVERSIZED_HEADERS', 'dead-lettered work OVERSIZED_HEADERS']);
    assert.equal(await settledDepth(transport.queueOf('work')), 0, 'nothing ready or unacknowledged in the actor queue');
    assert.equal(await messagesIn(transport.deadLetterQueue), 0);
  }

  it('dead-letters a message with ~64 KB of headers, without them, and handles the 1,000 valid messages after it', async () => {
    await hostileThenValid(0);
    await assertHandledAndDeadLettered(0);
  });

  it('does the same after the broker closed the connection', async () => {
    events.length = 0;
    const before = connected;
    await closeConnections(await connectionsOf(namespace));
    await waitFor('the reconnect', () => connected > before);
    await node.transport.ready();
    await hostileThenValid(VALID_MESSAGES);
    await assertHandledAndDeadLettered(VALID_MESSAGES);
  });
});

describe('RabbitMQ transport: a dead letter whose original headers amqplib cannot encode again', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('headers-raised');
  let node: Awaited<ReturnType<typeof openWorkNode>>;

  before(async () => {
    await requireBroker();
    // A bound raised to amqplib's own limit lets the hostile headers in, so its copy overflows.
    node = await openWorkNode(namespace, 'headers-raised', { maxHeaderBytes: 65_536 });
  });

  after(() => node.close());

  it('is published without them, and the queue after it flows and empties', async () => {
    const { handled, raw, transport } = node;
    await node.publishHostile();
    const work = node.system.ref('work', Work);
    await Promise.all(Array.from({ length: 10 }, (_, seq) => work.tell('job', { seq })));

    await waitFor('the valid messages handled', () => handled.length === 10);
    const dead = await takeDeadLetter(raw, transport.deadLetterQueue);
    const headers = dead.properties.headers ?? {};
    assert.equal(headers[DEAD_LETTER_HEADERS.reason], 'MALFORMED_FRAME');
    assert.equal(headers[HEADERS_DROPPED], HOSTILE_HEADER_BYTES);
    assert.equal(headers['x-pad-00'], undefined);
    assert.deepEqual(dead.content, GARBAGE);
    assert.equal(await settledDepth(transport.queueOf('work')), 0, 'nothing ready or unacknowledged in the actor queue');
  });
});
