import assert from 'node:assert/strict';
import { z } from 'zod';
import { createSystem, defineActor, defineProtocol, InvalidAddressError } from '../../../internal.ts';
import { connectRabbit, type RabbitEvent } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from './broker.ts';

const Note = defineProtocol('note', { note: { body: z.object({ text: z.string() }) } });

/** An address of 250 characters: valid for airlock, too long once the namespace prefixes its queue. */
const LONG = `edge/${'x'.repeat(245)}`;

describe('RabbitMQ transport: addresses whose queue name would pass AMQP’s 255 bytes', function () {
  this.timeout(20_000);

  it('refuses them with InvalidAddressError, at spawn and at send, and keeps the connection', async () => {
    await requireBroker();
    const namespace = uniqueNamespace('names');
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const events: RabbitEvent['kind'][] = [];
    transport.events.subscribe((event) => events.push(event.kind));
    const system = createSystem({ name: 'names', transport });
    const handled: string[] = [];
    try {
      const ok = system.spawn(defineActor({ protocol: Note, setup: () => ({ note: ({ text }) => void handled.push(text) }) }), 'edge/ok');
      assert.throws(() => system.spawn(defineActor({ protocol: Note, setup: () => ({ note: () => {} }) }), LONG), InvalidAddressError);
      await assert.rejects(system.ref(LONG, Note).tell('note', { text: 'lost?' }), (error: Error) => {
        assert.ok(error instanceof InvalidAddressError);
        assert.match(error.message, /would be \d+ bytes, over AMQP's 255/);
        return true;
      });
      await ok.tell('note', { text: 'still connected' });
      for (let waited = 0; handled.length === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(handled, ['still connected']);
      assert.deepEqual(events.filter((kind) => kind !== 'connected'), []);
    } finally {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
      await cleanup(namespace, ['edge/ok']);
    }
  });
});
