import assert from 'node:assert/strict';
import { firstValueFrom, filter } from 'rxjs';
import {
  MailboxFullError,
  QueueMismatchError,
  UnsupportedMailboxError,
  createSystem,
  defineActor,
  type ActorSystem,
} from '../../../internal.ts';
import { connectRabbit, queueName, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

const worker = defineActor({
  protocol: Work,
  mailbox: { capacity: 5 },
  setup: () => ({ job: () => {}, crash: () => {}, echo: ({ text }) => ({ text, pid: process.pid }) }),
});

describe('RabbitMQ transport: mailbox bounds', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('bounds');
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace });
    system = createSystem({ name: 'sender', transport });
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 0 });
    await transport.close();
    await cleanup(namespace, ['edge/input', 'edge/taken', 'edge/held']);
  });

  it('keeps an actor\'s capacity in the broker: with nothing consuming, the 6th tell to a mailbox of 5 rejects with MailboxFullError', async () => {
    // The edge node declares its actor's queue, then goes down: nothing consumes it any more.
    const edgeTransport = await connectRabbit({ url: BROKER_URL, namespace });
    const edge = createSystem({ name: 'edge', transport: edgeTransport });
    edge.spawn(worker, 'edge/input');
    await edgeTransport.ready();
    await edge.stop({ drainTimeoutMs: 0 });
    await edgeTransport.close();

    const input = system.ref('edge/input', Work);
    for (let seq = 1; seq <= 5; seq++) await input.tell('job', { seq });
    const error = await input.tell('job', { seq: 6 }).catch((e: unknown) => e);
    assert.ok(error instanceof MailboxFullError, String(error));
    assert.equal(error.code, 'MAILBOX_FULL');
    assert.equal(error.address, 'edge/input');
    const { connection, channel } = await rawChannel();
    assert.equal((await channel.checkQueue(queueName(namespace, 'edge/input'))).messageCount, 5, 'the refused message took no place');
    await connection.close();
  });

  it("refuses a 'backpressure' mailbox at spawn with UnsupportedMailboxError: a broker can only refuse", () => {
    const held = defineActor({ ...worker, mailbox: { capacity: 5, overflow: 'backpressure' } });
    assert.throws(() => system.spawn(held, 'edge/held'), (error: unknown) => error instanceof UnsupportedMailboxError && error.address === 'edge/held');
    assert.equal(system.lookup('edge/held'), undefined);
  });

  it('reports a queue that exists with other bounds as QueueMismatchError, and goes on once it is gone', async () => {
    const queue = queueName(namespace, 'edge/taken');
    const { connection, channel } = await rawChannel();
    await channel.assertQueue(queue, { durable: true });
    const reported = firstValueFrom(
      transport.events.pipe(filter((event) => event.kind === 'channel-error' && event.channel === 'mailbox edge/taken' && event.error instanceof QueueMismatchError)),
    );
    system.spawn(worker, 'edge/taken');
    const ready = await transport.ready().catch((e: unknown) => e);
    assert.ok(ready instanceof QueueMismatchError, String(ready));
    assert.equal(ready.queue, queue);
    assert.match(ready.message, /inequivalent arg 'x-max-length'/);
    const event = await reported;
    assert.ok(event.kind === 'channel-error');
    assert.equal(event.error.message, ready.message, 'operators see the same typed error in the transport events');

    await channel.deleteQueue(queue);
    await connection.close();
    // The mailbox declares its queue again on its next retry (backoff), with its own bounds.
    let consuming = false;
    void (async () => {
      while (!(await transport.ready().then(() => true, () => false))) await new Promise((resolve) => setTimeout(resolve, 50));
      consuming = true;
    })();
    await waitFor('the mailbox to consume its new queue', () => consuming, 10_000);
    assert.equal((await system.ref('edge/taken', Work).ask('echo', { text: 'bounded now' }, { timeoutMs: 10_000 })).text, 'bounded now');
  });
});
