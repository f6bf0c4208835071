import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { child, defineTopology, encodePlain, InvalidAddressError, MalformedFrameError, OversizedMessageError, run, supervisor, type RollCallResult } from '../../../internal.ts';
import { counter } from '../../support/fixtures.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { decodeAnswer, encodeAnswer, rollCallExchange } from '../../../transports/rabbitmq/roll-call.ts';
import { startCuttableProxy, type CuttableProxy } from '../../support/cuttable-proxy.ts';
import { until } from '../../support/fixtures.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';

const BROKER_PORT = Number(new URL(BROKER_URL).port || 5672);
/**
 * Each call's window. An answer is back in milliseconds on a quiet machine; on a busy one it may
 * miss a window, so a spec expecting nodes calls again until they all answer (`rollCallFinds`).
 */
const WINDOW_MS = 300;

describe('RabbitMQ roll call: the nodes of a namespace, found without the management plugin', function () {
  this.timeout(60_000);
  const transports: RabbitTransport[] = [];
  const proxies: CuttableProxy[] = [];
  let namespace: string;

  before(requireBroker);
  beforeEach(() => (namespace = uniqueNamespace('roll-call')));
  afterEach(async () => {
    for (const transport of transports.splice(0)) await transport.close();
    for (const proxy of proxies.splice(0)) await proxy.close();
    await cleanup(namespace, []);
  });

  async function transport(url = BROKER_URL): Promise<RabbitTransport> {
    const connected = await connectRabbit({ url, namespace, reconnect: { minMs: 50, maxMs: 200, factor: 2, jitter: 0 } });
    transports.push(connected);
    return connected;
  }

  let caller: RabbitTransport | undefined;
  afterEach(() => (caller = undefined));
  /** One roll call, from a process of its own that announces nothing. */
  const rollCall = async () => (caller ??= await transport()).rollCall({ windowMs: WINDOW_MS });

  /** Calls the roll until it gives exactly `expected`; a deadline (generous: a busy machine delays answers) only guards against a hang. */
  async function rollCallFinds(expected: RollCallResult): Promise<void> {
    let last: RollCallResult | undefined;
    await until(async () => {
      last = await rollCall();
      return isDeepStrictEqual(last, expected);
    }, () => `a roll call giving ${JSON.stringify(expected)}; the last gave ${JSON.stringify(last)}`, { withinMs: 20_000, everyMs: 0 });
  }

  it('lists every node announced by every process of the namespace, and no other namespace', async () => {
    (await transport()).announce('edge');
    const core = await transport();
    core.announce('core');
    core.announce('keyholder');
    const elsewhere = await connectRabbit({ url: BROKER_URL, namespace: `${namespace}-other` });
    transports.push(elsewhere);
    elsewhere.announce('stranger');
    await rollCallFinds({ nodes: ['core', 'edge', 'keyholder'], refused: 0 });
  });

  it('refuses to announce what is not a node name', async () => {
    const node = await transport();
    for (const name of ['', 'edge/http', '$control', 'x'.repeat(65)]) {
      assert.throws(() => node.announce(name), (error: Error) => error instanceof InvalidAddressError && /is not a node name/.test(error.message), name);
    }
  });

  it('lists the nodes `run` starts with control actors, until the topology stops', async () => {
    const topology = defineTopology('roll', { edge: supervisor({ children: [child('a', counter)] }), core: supervisor({ children: [child('b', counter)] }) });
    const running = run(topology, { transport: await transport(), control: true });
    await rollCallFinds({ nodes: ['core', 'edge'], refused: 0 });
    await running.stop();
    assert.deepEqual((await rollCall()).nodes, [], 'withdrawn on stop, the connection still open');
    await cleanup(namespace, ['edge/a', 'core/b', 'edge/$control', 'core/$control']);
  });

  it('finds nobody on a namespace where no node runs', async () => {
    assert.deepEqual(await rollCall(), { nodes: [], refused: 0 });
  });

  it('drops a node once its announcement is closed, or its process disconnects', async () => {
    const edge = (await transport()).announce('edge');
    const core = await transport();
    core.announce('core');
    await rollCallFinds({ nodes: ['core', 'edge'], refused: 0 });
    edge.close();
    edge.close(); // twice is once
    await rollCallFinds({ nodes: ['core'], refused: 0 });
    await core.close();
    assert.deepEqual((await rollCall()).nodes, []);
  });

  it('keeps a node listed while another announcement of the same name is open', async () => {
    const node = await transport();
    const first = node.announce('edge');
    node.announce('edge');
    await rollCallFinds({ nodes: ['edge'], refused: 0 });
    first.close();
    await rollCallFinds({ nodes: ['edge'], refused: 0 });
  });

  it('answers again after its connection was cut and came back', async () => {
    const proxy = await startCuttableProxy({ port: BROKER_PORT });
    proxies.push(proxy);
    const url = new URL(BROKER_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const node = await transport(url.toString());
    node.announce('edge');
    await rollCallFinds({ nodes: ['edge'], refused: 0 });
    proxy.cut();
    // The broker sees the reset at once and deletes the exclusive queue with the connection.
    await rollCallFinds({ nodes: [], refused: 0 });
    proxy.restore();
    // Re-bound on the new connection by the connection manager.
    await rollCallFinds({ nodes: ['edge'], refused: 0 });
  });

  it('counts a forged answer as refused and lists none of what it names', async () => {
    (await transport()).announce('edge');
    const { connection, channel } = await rawChannel();
    try {
      // An impostor on the vhost answers every call with garbage, and another with a bad node name.
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, rollCallExchange(namespace), '');
      await channel.consume(queue, (call) => {
        if (!call) return;
        channel.sendToQueue(call.properties.replyTo, Buffer.from([0xc1]));
        channel.sendToQueue(call.properties.replyTo, encodePlain({ v: 1, nodes: ['../etc'] }));
      }, { noAck: true });
      await rollCallFinds({ nodes: ['edge'], refused: 2 });
    } finally {
      await connection.close();
    }
  });

  it('answers only a server-named queue, so a forged replyTo cannot aim answers at an actor', async () => {
    (await transport()).announce('edge');
    const { connection, channel } = await rawChannel();
    try {
      const victim = `${namespace}:victim`;
      await channel.assertQueue(victim, { durable: false, autoDelete: true });
      await channel.assertExchange(rollCallExchange(namespace), 'fanout', { durable: true });
      channel.publish(rollCallExchange(namespace), '', Buffer.alloc(0), { replyTo: victim });
      await channel.waitForConfirms();
      // The honest call after it is answered, so the node has read the forged one by then.
      await rollCallFinds({ nodes: ['edge'], refused: 0 });
      assert.equal((await channel.checkQueue(victim)).messageCount, 0);
    } finally {
      await connection.close();
    }
  });

  describe('answers on the wire', () => {
    it('round-trips the nodes', () => {
      assert.deepEqual(decodeAnswer(encodeAnswer(['edge', 'core'])), ['edge', 'core']);
    });

    const refused: [string, Uint8Array, new (...args: never[]) => Error, RegExp][] = [
      ['not msgpack', Buffer.from([0xc1]), MalformedFrameError, /not msgpack/],
      ['a msgpack extension', Buffer.from([0xd4, 0x01, 0x00]), MalformedFrameError, /extension/],
      ['another version', encodePlain({ v: 2, nodes: ['edge'] }), MalformedFrameError, /not a roll-call answer/],
      ['an extra field', encodePlain({ v: 1, nodes: ['edge'], admin: true }), MalformedFrameError, /not a roll-call answer/],
      ['a name that is no address', encodePlain({ v: 1, nodes: ['edge core'] }), MalformedFrameError, /names 'edge core', not a node/],
      ['a path for a name', encodePlain({ v: 1, nodes: ['edge', '../etc'] }), MalformedFrameError, /names '\.\.\/etc', not a node/],
      ['a system name', encodePlain({ v: 1, nodes: ['$control'] }), MalformedFrameError, /names '\$control', not a node/],
      ['more nodes than any process runs', encodePlain({ v: 1, nodes: Array.from({ length: 257 }, (_, i) => `n${i}`) }), MalformedFrameError, /not a roll-call answer/],
      ['over 64 KiB', encodePlain({ v: 1, nodes: ['x'.repeat(70_000)] }), OversizedMessageError, /70/],
    ];
    for (const [what, bytes, type, message] of refused) {
      it(`refuses ${what}`, () => {
        assert.throws(() => decodeAnswer(bytes), (error: Error) => error instanceof type && message.test(error.message));
      });
    }
  });
});
