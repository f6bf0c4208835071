import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem, run, VirtualClock, type SystemEvent } from '../../index.ts';
import { connectRabbit, type RabbitTransport } from '../../transports/rabbitmq/index.ts';
import { until } from '../../testing/index.ts';
import { Intake, Ledger, Validator } from '../../examples/orders/protocols.ts';
import { ordersTopology } from '../../examples/orders/topology.ts';
import { RunningNode } from '../bin/airlock-process.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';

const TOPOLOGY = fileURLToPath(new URL('../../examples/orders/topology.ts', import.meta.url));

/** The validator's settings in both runs: 3 orders, then 2 s of cooling (the window, 60 s, never ends during a run). */
const THROTTLE = { burst: 3, windowMs: 60_000, coolMs: 2_000, maxCents: 10_000 };
const THROTTLE_ENV = { ORDERS_BURST: '3', ORDERS_WINDOW_MS: '60000', ORDERS_COOL_MS: '2000', ORDERS_MAX_CENTS: '10000', ORDERS_PORT: '0' };

type Request = { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown };
/** A request, or the pause in which the validator's cooling ends (virtual time in-process, real time over RabbitMQ). */
type Step = Request | 'cooling ends';
type Answer = [status: number, body: unknown];

const order = (customer: string, item: string, cents: unknown): Request => ({ method: 'POST', path: '/orders', body: { customer, item, cents } });

/** The one script both runs play, each step beside the answer it must get. */
const SCRIPT: [Step, Answer?][] = [
  [{ method: 'POST', path: '/customers/ada' }, [201, { customer: 'ada', worker: 'core/customers/ada' }]],
  [{ method: 'POST', path: '/customers/bob' }, [201, { customer: 'bob', worker: 'core/customers/bob' }]],
  [{ method: 'POST', path: '/customers/ada' }, [409, { error: 'DUPLICATE_CHILD' }]],
  [order('ada', 'tea', 350), [200, { customer: 'ada', item: 'tea', cents: 350, total: 350 }]], // validator: 1 of 3
  [order('bob', 'cake', 420), [200, { customer: 'bob', item: 'cake', cents: 420, total: 420 }]], // 2 of 3
  [order('ada', 'piano', 250_000), [422, { error: 'TOO_LARGE' }]],
  [order('ada', 'tea', 'lots'), [400, { error: 'INVALID_MESSAGE' }]],
  [{ method: 'POST', path: '/orders', body: 'not json' }, [400, { error: 'INVALID_MESSAGE' }]],
  // The validator crashes on it: dead-lettered once, restarted from its initial state (its count too).
  [order('ada', 'poison', 100), [500, { error: 'ACTOR_CRASHED' }]],
  [order('ada', 'coffee', 280), [200, { customer: 'ada', item: 'coffee', cents: 280, total: 630 }]], // 1 of 3
  [order('bob', 'tea', 350), [200, { customer: 'bob', item: 'tea', cents: 350, total: 770 }]], // 2 of 3
  [order('ada', 'cake', 420), [200, { customer: 'ada', item: 'cake', cents: 420, total: 1050 }]], // 3 of 3: cooling
  [order('ada', 'tea', 350), [429, { error: 'THROTTLED' }]],
  [{ method: 'GET', path: '/validator' }, [200, { state: 'cooling' }]],
  ['cooling ends'],
  [{ method: 'GET', path: '/validator' }, [200, { state: 'open' }]],
  [order('zed', 'tea', 350), [404, { error: 'UNKNOWN_ADDRESS' }]], // no worker for zed
  [{ method: 'DELETE', path: '/customers/bob' }, [200, { customer: 'bob', worker: 'core/customers/bob' }]],
  [order('bob', 'tea', 350), [404, { error: 'UNKNOWN_ADDRESS' }]], // bob's worker is gone
  [{ method: 'DELETE', path: '/customers/bob' }, [404, { error: 'NOT_SUPERVISED' }]],
  [{ method: 'POST', path: '/customers/bob' }, [201, { customer: 'bob', worker: 'core/customers/bob' }]],
  [order('bob', 'jam', 150), [200, { customer: 'bob', item: 'jam', cents: 150, total: 920 }]], // the order bob's worker missed is not handled now
  [{ method: 'GET', path: '/customers/ada/total' }, [200, { customer: 'ada', orders: 3, cents: 1050 }]],
  [{ method: 'GET', path: '/customers/bob/total' }, [200, { customer: 'bob', orders: 3, cents: 920 }]],
  [{ method: 'GET', path: '/customers/zed/total' }, [200, { customer: 'zed', orders: 0, cents: 0 }]],
  [{ method: 'GET', path: '/nowhere' }, [404, { error: 'NOT_FOUND' }]],
];
const EXPECTED = SCRIPT.flatMap(([, answer]) => (answer ? [answer] : []));

/** One request on a fresh connection (no pool outlives a run), answered with its status and JSON body. */
function send(port: number, { method, path, body }: Request): Promise<Answer> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve([response.statusCode ?? 0, JSON.parse(Buffer.concat(chunks).toString('utf8'))]));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** Plays the script against the intake at `port`; `hooks` run after the request at that index (0-based). */
async function play(port: number, coolingEnds: () => Promise<void>, after: Record<number, () => Promise<void>> = {}): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const [step] of SCRIPT) {
    if (step === 'cooling ends') await coolingEnds();
    else {
      answers.push(await send(port, step));
      await after[answers.length - 1]?.();
    }
  }
  return answers;
}

const POISON = EXPECTED.findIndex(([, body]) => (body as { error?: string }).error === 'ACTOR_CRASHED');
const crashedValidator = (event: SystemEvent) => event.kind === 'dead-lettered' && event.address === 'edge/validator';

describe('examples/orders: the same answers in one process and as two processes over RabbitMQ', function () {
  // Two real processes (tsx start-up, a few seconds each on a busy 2-core machine) and 2 s of real cooling: 60 s is far past them.
  this.timeout(60_000);
  const answers: Record<'in-process' | 'rabbitmq', Answer[]> = { 'in-process': [], rabbitmq: [] };

  it('in-process, on a virtual clock: the expected answers; the poison order dead-lettered once, the validator restarted once', async () => {
    const clock = new VirtualClock();
    const events: SystemEvent[] = [];
    const running = run(ordersTopology({ port: 0, throttle: THROTTLE }), { ports: { clock }, onEvent: (event) => events.push(event) });
    try {
      await until(() => running.status().every((node) => node.state === 'running'), 'both nodes running');
      const { port } = await running.ref('edge/intake', Intake).ask('where', {});
      const validatorRestarts = () => events.filter((event) => event.kind === 'restarted' && event.address === 'edge/validator').length;
      answers['in-process'] = await play(port, () => clock.advance(THROTTLE.coolMs), {
        [POISON]: async () => {
          assert.equal(events.filter(crashedValidator).length, 1);
          await until(() => validatorRestarts() === 1, 'the validator restarted');
        },
      });
      assert.deepEqual(answers['in-process'], EXPECTED);
      assert.equal(events.filter(crashedValidator).length, 1, 'the poison order was dead-lettered once');
      assert.equal(validatorRestarts(), 1, 'and never handled again');
      assert.equal(await running.ref('edge/validator', Validator).ask('state', {}), 'cooling');
    } finally {
      await running.stop();
    }
  });

  describe('split: airlock run --node core and --node edge, over RabbitMQ in a fresh namespace', () => {
    const namespace = uniqueNamespace('orders');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-orders-'));
    const nodes: RunningNode[] = [];
    let transport: RabbitTransport;
    let system: ReturnType<typeof createSystem>;

    before(async () => {
      await requireBroker();
      // From one directory, so both share `.airlock/control.key`: the edge starts workers on the core.
      const start = (node: string) => RunningNode.startWithEnv(dir, THROTTLE_ENV, TOPOLOGY, '--node', node, '--amqp', BROKER_URL, '--namespace', namespace);
      nodes.push(...(await Promise.all([start('core'), start('edge')])));
      transport = await connectRabbit({ url: BROKER_URL, namespace });
      system = createSystem({ name: 'spec', transport });
    });

    after(async () => {
      await system?.stop();
      await transport?.close();
      await Promise.all(nodes.map((node) => node.stop()));
      await cleanup(namespace, ['edge/intake', 'edge/validator', 'core/ledger', 'core/customers/ada', 'core/customers/bob', 'core/customers/zed']);
      rmSync(dir, { recursive: true, force: true });
    });

    it('the same answers; the poison order dead-lettered once and never redelivered; nothing queued for missing workers', async () => {
      const [, edge] = nodes;
      const { connection, channel } = await rawChannel();
      try {
        // `airlock: ready` means every mailbox consumes; the ledger is asked until it answers all the same (a guard, not a wait).
        await until(async () => system.ref('core/ledger', Ledger).ask('total', { customer: 'nobody' }).then(() => true, () => false), 'core/ledger on the broker', { withinMs: 15_000 });
        const { port } = await system.ref('edge/intake', Intake).ask('where', {});
        const validator = system.ref('edge/validator', Validator);
        const depth = async (address: string) => (await channel.checkQueue(`${namespace}:${address}`)).messageCount;
        const exists = (address: string) => {
          // checkQueue on a missing queue closes the channel: ask on one of its own.
          return connection.createChannel().then(async (probe) => {
            probe.on('error', () => {});
            try {
              await probe.checkQueue(`${namespace}:${address}`);
              await probe.close();
              return true;
            } catch {
              return false;
            }
          });
        };
        const lines = (prefix: string) => edge.lines.filter((line) => line.startsWith(prefix)).length;
        const deadLettered = () => lines('dead-lettered edge/validator');
        const restarted = () => lines('restarted     edge/validator');

        answers.rabbitmq = await play(
          port,
          // Real time: the cooling ends 2 s after it began; waited for, not slept (the deadline allows a loaded machine 10 s more).
          () => until(async () => (await validator.ask('state', {})) === 'open', 'the cooling to end', { withinMs: THROTTLE.coolMs + 10_000, everyMs: 50 }),
          {
            [POISON]: async () => {
              await until(() => restarted() === 1, 'the validator restarted', { withinMs: 10_000 });
              await until(async () => (await channel.checkQueue(`${namespace}:$dead-letters`)).messageCount === 1, 'the poison order in the dead letters', { withinMs: 10_000 });
            },
            [EXPECTED.findIndex(([, body]) => (body as { error?: string }).error === 'UNKNOWN_ADDRESS')]: async () => {
              assert.equal(await exists('core/customers/zed'), false, 'an order for an unknown worker declares no queue');
            },
          },
        );
        assert.deepEqual(answers.rabbitmq, EXPECTED);
        assert.equal(deadLettered(), 1, 'the poison order was dead-lettered once');
        assert.equal(restarted(), 1, 'and the validator restarted once, never again');
        const dead = await channel.get(`${namespace}:$dead-letters`, { noAck: true });
        assert.ok(dead);
        assert.equal(dead.properties.headers?.['x-airlock-reason'], 'ACTOR_CRASHED');
        assert.equal(dead.properties.headers?.['x-airlock-attempts'], 1);
        assert.equal(await channel.get(`${namespace}:$dead-letters`, { noAck: true }), false, 'nothing else was dead-lettered');
        for (const address of ['edge/validator', 'core/customers/bob', 'core/ledger']) assert.equal(await depth(address), 0, `${address} holds no message`);
        assert.equal(await exists('core/customers/zed'), false);
        assert.equal(await validator.ask('state', {}), 'cooling');
      } finally {
        await connection.close();
      }
    });

    it('answers exactly as the in-process run did', () => {
      assert.deepEqual(answers.rabbitmq, answers['in-process']);
    });
  });
});
