import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  child,
  createSystem,
  defineActor,
  defineProtocol,
  InvalidSpecError,
  LeaseUnavailableError,
  startTree,
  supervisor,
  type ActorSystem,
  type Lease,
} from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { startCuttableProxy, type CuttableProxy } from '../../support/cuttable-proxy.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from './broker.ts';
import { until as waitUntil } from '../../support/fixtures.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BROKER_PORT = Number(new URL(BROKER_URL).port || 5672);

/** One contender: its own connection (through a proxy that can be cut), its lease, and what it saw. */
interface Contender {
  name: string;
  transport: RabbitTransport;
  proxy: CuttableProxy;
  lease: Lease;
  seen: { event: 'active' | 'passive'; at: number }[];
}

describe('RabbitMQ leases: active/passive election by single active consumer', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('election');
  const contenders: Contender[] = [];

  before(requireBroker);
  afterEach(async () => {
    for (const { transport, proxy } of contenders.splice(0)) {
      await transport.close();
      await proxy.close();
    }
  });
  after(() => cleanup(namespace, []));

  async function contender(name: string, lease = 'bridge-manager', renewMs?: number): Promise<Contender> {
    const proxy = await startCuttableProxy({ port: BROKER_PORT });
    const url = new URL(BROKER_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const transport = await connectRabbit({ url: url.toString(), namespace, reconnect: { minMs: 50, maxMs: 200, factor: 2, jitter: 0 } });
    const elected = transport.elect(lease, { renewMs });
    const seen: Contender['seen'] = [];
    elected.on('active', () => seen.push({ event: 'active', at: Date.now() }));
    elected.on('passive', () => seen.push({ event: 'passive', at: Date.now() }));
    const entry = { name, transport, proxy, lease: elected, seen };
    contenders.push(entry);
    return entry;
  }

  const actives = () => contenders.filter(({ lease }) => lease.active).map(({ name }) => name);

  // The waits end at the event; the deadline only guards against a hang, generous because a busy
  // machine delays reconnects and consumer starts by seconds.
  const until = (check: () => boolean, what: string, withinMs = 15_000) =>
    waitUntil(check, () => `${what}; active: [${actives().join(', ')}]`, { withinMs, everyMs: 5 });

  it('makes exactly one of two contenders active, and keeps it so', async () => {
    const a = await contender('a');
    await a.lease.whenActive();
    const b = await contender('b');
    await tick(500);
    assert.deepEqual(actives(), ['a']);
    assert.deepEqual(a.seen.map(({ event }) => event), ['active']);
    assert.deepEqual(b.seen, []);
  });

  it('hands the lease to the passive one within a second when the active one is cut from the broker', async () => {
    const a = await contender('a');
    await a.lease.whenActive();
    const b = await contender('b');
    await tick(200);
    assert.deepEqual(actives(), ['a']);

    const cutAt = Date.now();
    a.proxy.cut();
    await b.lease.whenActive();
    const tookMs = b.seen[0].at - cutAt;
    assert.ok(tookMs < 1_000, `took ${tookMs} ms`);
    // The cut one learns from its own socket: passive, before the other was even activated.
    await until(() => !a.lease.active, 'a to turn passive');
    assert.deepEqual(a.seen.map(({ event }) => event), ['active', 'passive']);
    assert.deepEqual(actives(), ['b']);

    // Back on the network, it contends again, behind b.
    a.proxy.restore();
    await until(() => a.proxy.open === 1, 'a to reconnect');
    await tick(300);
    assert.deepEqual(actives(), ['b']);
  });

  it('keeps a third contender passive, and it is next in line', async () => {
    const a = await contender('a');
    await a.lease.whenActive();
    await contender('b');
    await tick(100);
    const c = await contender('c');
    await tick(400);
    assert.deepEqual(actives(), ['a']);
    assert.deepEqual(c.seen, []);

    a.proxy.cut();
    await until(() => actives().length === 1 && !a.lease.active, 'the next holder');
    assert.deepEqual(actives(), ['b']);
    await tick(300);
    assert.deepEqual(actives(), ['b']);
    assert.deepEqual(c.seen, []);
  });

  it('hands the lease over on resign, and the resigned one waits behind', async () => {
    const a = await contender('a');
    await a.lease.whenActive();
    const b = await contender('b');
    await tick(200);

    await a.lease.resign();
    assert.equal(a.lease.active, false);
    await b.lease.whenActive();
    await tick(500);
    assert.deepEqual(actives(), ['b']);
    assert.deepEqual(a.seen.map(({ event }) => event), ['active', 'passive']);

    // When b goes too, a (contending again since its resign) takes over.
    await b.lease.close();
    await a.lease.whenActive();
    assert.deepEqual(actives(), ['a']);
  });

  it('keeps the lease across token renewals', async () => {
    const a = await contender('a', 'renewed', 50);
    await a.lease.whenActive();
    const b = await contender('b', 'renewed', 50);
    // Several fresh tokens replace the held one while b waits: the lease never changes hands.
    await tick(500);
    assert.equal(a.lease.active, true);
    assert.equal(b.lease.active, false);
    assert.deepEqual(a.seen.map(({ event }) => event), ['active']);
    assert.deepEqual(b.seen, []);
  });

  it('rejects whenActive with LeaseUnavailableError once closed', async () => {
    const a = await contender('a', 'closing');
    await a.lease.whenActive();
    const b = await contender('b', 'closing');
    const waiting = b.lease.whenActive();
    await b.lease.close();
    await assert.rejects(waiting, (error: unknown) => error instanceof LeaseUnavailableError && error.code === 'LEASE_UNAVAILABLE');
    await assert.rejects(b.lease.whenActive(), LeaseUnavailableError);
  });

  it('keeps nothing of a closed lease, so a standby child stopped and started again does not grow its transport', async () => {
    const { transport } = await contender('a', 'cycled');
    const inside = transport as unknown as { leases: Set<Lease>; manager: { events: { observers: unknown[] } } };
    const listening = inside.manager.events.observers.length;
    for (let cycle = 0; cycle < 20; cycle++) {
      const lease = transport.elect('cycled');
      await lease.close();
    }
    assert.equal(inside.leases.size, 1, 'only the contender\'s own lease, still open');
    assert.equal(inside.manager.events.observers.length, listening);
  });
});

describe('Standby children: a child that runs only while its node holds the lease', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('standby');
  const Bridge = defineProtocol('bridge', { ping: { body: z.object({}), reply: z.string() }, note: { body: z.object({ n: z.number() }) } });
  /** The notes each node's bridge handled. */
  const notes: Record<string, number[]> = {};
  const nodes: { system: ActorSystem; transport: RabbitTransport; proxy: CuttableProxy }[] = [];
  /** Which node's bridge runs, as its incarnations start and stop. */
  const running = new Set<string>();
  const log: string[] = [];

  before(requireBroker);
  after(async () => {
    for (const { system, transport, proxy } of nodes) {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
      await proxy.close();
    }
    await cleanup(namespace, ['app/bridge']);
  });

  function bridgeOf(node: string) {
    return defineActor({
      protocol: Bridge,
      setup: (ctx) => {
        running.add(node);
        log.push(`${node} started`);
        ctx.onStop(() => {
          running.delete(node);
          log.push(`${node} stopped`);
        });
        return { ping: () => node, note: ({ n }) => void (notes[node] ??= []).push(n) };
      },
    });
  }

  async function node(name: string) {
    const proxy = await startCuttableProxy({ port: BROKER_PORT });
    const transport = await connectRabbit({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, namespace, reconnect: { minMs: 50, maxMs: 200, factor: 2, jitter: 0 } });
    const system = createSystem({ name, transport });
    startTree(system, supervisor({ children: [child('bridge', bridgeOf(name), { standby: { lease: 'bridge' } })] }), 'app');
    nodes.push({ system, transport, proxy });
    return { system, proxy };
  }

  // Generous for the same reason as above: the wait ends at the event.
  const until = (check: () => boolean, what: string) => waitUntil(check, () => `${what}; log: ${log.join(', ')}`, { withinMs: 15_000, everyMs: 5 });

  it('runs the child on one node only, and on the other once the first is cut from the broker', async () => {
    const a = await node('a');
    await until(() => running.has('a'), "a's bridge");
    const b = await node('b');
    await tick(500);
    assert.deepEqual([...running], ['a']);
    // The node standing by answers asks at once: its child is down, not slow.
    await assert.rejects(b.system.ref('app/bridge', Bridge).ask('ping', {}, { timeoutMs: 2_000 }), (error: unknown) => (error as { code?: string }).code === 'ACTOR_STOPPED');

    // Tells wait in the shared queue for the lease holder: the node standing by takes none of them.
    for (let n = 1; n <= 20; n++) await b.system.ref('app/bridge', Bridge).tell('note', { n });
    await until(() => notes.a?.length === 20, "a's notes");
    assert.deepEqual({ ...notes }, { a: Array.from({ length: 20 }, (_, index) => index + 1) });

    a.proxy.cut();
    await until(() => running.has('b') && !running.has('a'), "b's bridge alone");
    assert.deepEqual(log, ['a started', 'a stopped', 'b started']);
    for (let n = 21; n <= 25; n++) await b.system.ref('app/bridge', Bridge).tell('note', { n });
    await until(() => notes.b?.length === 5, "b's notes");
    assert.deepEqual(notes.b, [21, 22, 23, 24, 25]);
  });

  it('refuses to start a standby child on a transport that elects no holder', () => {
    const system = createSystem({ name: 'solo' });
    const tree = supervisor({ children: [child('bridge', bridgeOf('solo'), { standby: { lease: 'bridge' } })] });
    assert.throws(() => startTree(system, tree, 'app'), (error: unknown) => error instanceof LeaseUnavailableError && /elects no lease holder/.test(error.message));
  });

  it('refuses a lease name that names no queue, when the spec is written', () => {
    assert.throws(() => child('bridge', bridgeOf('x'), { standby: { lease: '' } }), InvalidSpecError);
  });
});
