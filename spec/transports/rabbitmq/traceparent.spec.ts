import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { child, createSystem, defineActor, defineProtocol, NodeMetrics, startTree, supervisor, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { TRACE } from '../../support/trace.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from './broker.ts';

const Back = defineProtocol('spec.trace.back', { seen: { body: z.object({}), reply: z.string() } });
const Front = defineProtocol('spec.trace.front', { relay: { body: z.object({}), reply: z.string() } });

/** The back actor answers with the trace it received; the front one asks it while handling an ask. */
const back = defineActor({ protocol: Back, setup: (ctx) => ({ seen: () => ctx.traceparent ?? 'none' }) });
const front = defineActor({
  protocol: Front,
  setup: (ctx) => {
    const next = ctx.ref('far/back', Back);
    return { relay: async () => next.ask('seen', {}) };
  },
});

describe('RabbitMQ transport: W3C traceparent across the broker, and the transport metric families', function () {
  // Connecting and declaring queues on a shared, busy broker: generous, it is not what is measured.
  this.timeout(60_000);
  const namespace = uniqueNamespace('trace');
  let transports: RabbitTransport[] = [];
  let systems: ActorSystem[] = [];

  before(async () => {
    await requireBroker();
    transports = [await connectRabbit({ url: BROKER_URL, namespace }), await connectRabbit({ url: BROKER_URL, namespace })];
    // Two systems on two connections: each hop crosses the broker as bytes, as between processes.
    systems = [createSystem({ name: 'near', transport: transports[0] }), createSystem({ name: 'far', transport: transports[1] })];
    startTree(systems[0], supervisor({ children: [child('front', front)] }), 'near');
    startTree(systems[1], supervisor({ children: [child('back', back)] }), 'far');
    await Promise.all(transports.map((transport) => transport.ready()));
  });

  after(async () => {
    for (const system of systems) await system.stop({ drainTimeoutMs: 0 });
    for (const transport of transports) await transport.close();
    await cleanup(namespace, ['near/front', 'far/back']);
  });

  it('an ask carries its traceparent to the front actor, and the front actor’s ask carries it on to the back one', async () => {
    const client = systems[1].ref('near/front', Front);
    assert.equal(await client.ask('relay', {}, { traceparent: TRACE }), TRACE);
    assert.equal(await client.ask('relay', {}), 'none');
  });

  it('exports the broker figures: publishes and their confirms, redeliveries, reconnects', async () => {
    const registry = new Registry();
    new NodeMetrics(registry, { system: systems[0], node: 'near', dynamicSupervisors: () => [] });
    const text = await registry.metrics();
    const sample = (name: string) => Number(new RegExp(`^${name}\\{transport="rabbitmq"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.ok(sample('airlock_transport_published_total') >= 2, text);
    assert.ok(sample('airlock_transport_publish_confirms_total') >= 2);
    assert.equal(sample('airlock_transport_publish_nacks_total'), 0);
    assert.equal(sample('airlock_transport_redeliveries_total'), 0);
    assert.equal(sample('airlock_transport_reconnects_total'), 0);
    assert.ok(Number.isFinite(sample('airlock_transport_unconfirmed')));
    assert.ok(Number.isFinite(sample('airlock_transport_duplicates_total')));
  });
});
