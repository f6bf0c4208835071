import assert from 'node:assert/strict';
import { UnpublishableMessageError } from '../../../internal.ts';
import { ConnectionManager, type RabbitEvent } from '../../../transports/rabbitmq/connection-manager.ts';
import { resolveOptions } from '../../../transports/rabbitmq/options.ts';
import { Publisher } from '../../../transports/rabbitmq/publisher.ts';
import { BROKER_URL, closeConnections, connectionsOf, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';
import { waitFor } from './children.ts';

/** One byte over AMQP's 255-byte short string, which amqplib refuses to encode. */
const TOO_LONG_KEY = 'k'.repeat(256);

describe('RabbitMQ publisher: a publish amqplib cannot encode', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('publisher');
  const sink = `${namespace}:sink`;
  let manager: ConnectionManager;
  let publisher: Publisher;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  const events: RabbitEvent['kind'][] = [];

  before(async () => {
    await requireBroker();
    manager = new ConnectionManager(resolveOptions({ url: BROKER_URL, namespace, reconnect: { minMs: 50, maxMs: 500 } }));
    manager.events.subscribe((event) => void events.push(event.kind));
    publisher = new Publisher(manager, 'publisher');
    await manager.ready();
    raw = await rawChannel();
    await raw.channel.assertQueue(sink, { durable: false });
  });

  after(async () => {
    await publisher.close();
    await manager.close();
    await raw.channel.deleteQueue(sink);
    await raw.connection.close();
  });

  const bad = () => publisher.publish('', TOO_LONG_KEY, Buffer.from('x'), { persistent: true });
  const good = (text: string) => publisher.publish('', sink, Buffer.from(text), { persistent: true });

  async function reconnect(): Promise<void> {
    const connectedBefore = events.filter((kind) => kind === 'connected').length;
    await closeConnections(await connectionsOf(namespace));
    await waitFor('the reconnect', () => events.filter((kind) => kind === 'connected').length > connectedBefore);
  }

  it('rejects a routing key over 255 bytes at once with UnpublishableMessageError, keeping nothing', async () => {
    const publishing = bad();
    assert.equal(publisher.unconfirmed, 0, 'nothing waits in the outbox, even before the rejection is seen');
    const error = await publishing.catch((e: unknown) => e);
    assert.ok(error instanceof UnpublishableMessageError, String(error));
    assert.equal(error.code, 'UNPUBLISHABLE_MESSAGE');
    assert.equal(error.to, TOO_LONG_KEY);
    assert.equal(error.message, `a message to ${TOO_LONG_KEY} cannot be published: Field 'routingKey' is the wrong type; must be a string (up to 255 chars)`);
  });

  it("rejects headers over amqplib's 64 KiB table the same way", async () => {
    const headers = { 'x-pad': 'h'.repeat(70_000) };
    const error = await publisher.publish('', sink, Buffer.from('x'), { persistent: true, headers }).catch((e: unknown) => e);
    assert.ok(error instanceof UnpublishableMessageError, String(error));
    assert.equal(publisher.unconfirmed, 0);
  });

  it('leaks nothing over 10,000 bad publishes, and re-sends none of them after a reconnect', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10_000 }, bad));
    assert.equal(results.filter((result) => result.status === 'rejected' && result.reason instanceof UnpublishableMessageError).length, 10_000);
    assert.equal(publisher.unconfirmed, 0);

    await reconnect();
    assert.equal(publisher.unconfirmed, 0);
    await good('after the reconnect');
    const message = await raw.channel.get(sink, { noAck: true });
    assert.ok(message);
    assert.equal(message.content.toString(), 'after the reconnect');
    assert.equal(await raw.channel.get(sink, { noAck: true }), false, 'exactly one message reached the broker');
  });

  it('rejects a bad publish made while disconnected when the channel is back, and keeps the good ones', async () => {
    const connectedBefore = events.filter((kind) => kind === 'connected').length;
    const disconnectedBefore = events.filter((kind) => kind === 'disconnected').length;
    await closeConnections(await connectionsOf(namespace));
    await waitFor('the disconnect', () => events.filter((kind) => kind === 'disconnected').length > disconnectedBefore);
    const publishingBad = bad().catch((e: unknown) => e);
    const publishingGood = good('sent while disconnected');
    assert.equal(publisher.unconfirmed, 2, 'both wait for the next channel');

    await waitFor('the reconnect', () => events.filter((kind) => kind === 'connected').length > connectedBefore);
    assert.ok((await publishingBad) instanceof UnpublishableMessageError);
    await publishingGood;
    assert.equal(publisher.unconfirmed, 0);
    const message = await raw.channel.get(sink, { noAck: true });
    assert.ok(message);
    assert.equal(message.content.toString(), 'sent while disconnected');
  });
});
