import assert from 'node:assert/strict';
import { createSystem, defineActor, type ActorSystem, type SystemEvent } from '../../../internal.ts';
import { DEAD_LETTER_HEADERS, connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, Work, cleanup, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';
import { waitFor } from './children.ts';

/**
 * A delivery whose handling never finished (its process died) comes back `redelivered`; the
 * transport counts it as an earlier delivery against `maxAttempts`. Made here without killing a
 * process: a raw consumer takes the message and closes its channel without acknowledging it.
 */
describe('RabbitMQ transport: maxAttempts counts deliveries whose handling never finished', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('attempts');
  const addresses = ['node/once', 'node/twice'];
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace, maxAttempts: 1 });
    system = createSystem({ name: 'node', transport });
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 100 });
    await transport.close();
    await cleanup(namespace, addresses);
  });

  /** Leaves one `job` in the queue of `address`, delivered once to a consumer that died holding it. */
  async function redeliveredJob(address: string, seq: number): Promise<void> {
    // Published as any sender would (the queue is declared with the default mailbox's bounds).
    await transport.publish({ id: `job-${seq}`, to: address, type: 'job', body: { seq }, attempt: 0 });
    const { connection } = await rawChannel();
    const queue = transport.queueOf(address);
    const consumer = await connection.createChannel();
    const taken = new Promise<void>((resolve) => void consumer.consume(queue, (message) => message && resolve(), { noAck: false }));
    await taken;
    await connection.close();
  }

  function worker(handled: number[]) {
    return defineActor({ protocol: Work, setup: () => ({ job: ({ seq }) => void handled.push(seq), crash: () => {}, echo: ({ text }) => ({ text, pid: process.pid }) }) });
  }

  it('dead-letters unhandled a message delivered maxAttempts times before, with DELIVERY_ATTEMPTS_EXCEEDED and its count', async () => {
    await redeliveredJob('node/once', 1);
    const events: SystemEvent[] = [];
    system.on('dead-lettered').subscribe((event) => events.push(event));
    const handled: number[] = [];
    system.spawn(worker(handled), 'node/once');
    await waitFor('the dead letter', () => events.length === 1, 10_000);
    assert.deepEqual(handled, []);
    const event = events[0];
    assert.equal(event.kind === 'dead-lettered' && (event.reason as { code?: string }).code, 'DELIVERY_ATTEMPTS_EXCEEDED');
    const { connection, channel } = await rawChannel();
    try {
      // The copy is confirmed before the event's delivery is acknowledged, so it is there by now.
      const copy = await channel.get(transport.deadLetterQueue, { noAck: true });
      assert.ok(copy, 'a copy in the dead-letter queue');
      const headers = copy.properties.headers ?? {};
      assert.equal(headers[DEAD_LETTER_HEADERS.reason], 'DELIVERY_ATTEMPTS_EXCEEDED');
      assert.equal(headers[DEAD_LETTER_HEADERS.attempts], 1);
    } finally {
      await connection.close();
    }
  });

  it('hands a redelivered message to its handler while its deliveries stay under maxAttempts', async () => {
    const lenient = await connectRabbit({ url: BROKER_URL, namespace, maxAttempts: 2 });
    const other = createSystem({ name: 'other', transport: lenient });
    try {
      await redeliveredJob('node/twice', 2);
      const handled: number[] = [];
      other.spawn(worker(handled), 'node/twice');
      await waitFor('the redelivered job', () => handled.length === 1, 10_000);
      assert.deepEqual(handled, [2]);
    } finally {
      await other.stop({ drainTimeoutMs: 100 });
      await lenient.close();
    }
  });
});
