import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  actorChannel,
  AdminFrameReader,
  AdminResponseSchema,
  AdminServer,
  AdminSocketChannel,
  child,
  ControlClient,
  ControlKey,
  ControlVerifier,
  controlKeyPath,
  decodeAdminBody,
  decodeEnvelope,
  encodeEnvelope,
  ensureControlKey,
  readControlKey,
  signRequest,
  defineTopology,
  encodeAdminFrame,
  run,
  supervisor,
  type AirlockError,
  type ControlAuth,
  type RunningTopology,
} from '../../internal.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { Counter, counter, recordEvents, settleMany } from '../support/fixtures.ts';

/** Two nodes in one process: `edge` (one_for_one over a, b and a one_for_all pair) and `core`. */
const topology = defineTopology('cp', {
  edge: supervisor({
    strategy: 'one_for_one',
    children: [
      child('a', counter),
      child('b', counter),
      child('pair', supervisor({ strategy: 'one_for_all', children: [child('x', counter), child('y', counter)] })),
    ],
  }),
  core: supervisor({ children: [child('c', counter)] }),
});

function startTopology(): { running: RunningTopology; events: string[]; edge: ControlClient } {
  const running = run(topology, { control: true });
  const events = recordEvents(running.system);
  return { running, events, edge: new ControlClient(actorChannel(running.system, 'edge', { key: running.controlKey })) };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await promise.then(
    () => assert.fail('expected a refusal'),
    (caught: unknown) => caught,
  )) as AirlockError;
  return { code: error.code, message: error.message };
}

describe('control plane: the control actor at <node>/$control', () => {
  it('answers status with the node tree: state, restarts and mailbox depth', async () => {
    const { running, edge } = startTopology();
    const status = await edge.status();
    assert.equal(status.node, 'edge');
    assert.equal(status.transport, 'in-process');
    assert.deepEqual(
      status.tree[0].children?.map((c) => [c.address, c.kind, c.state, c.restarts, c.mailboxDepth ?? null]),
      [
        ['edge/a', 'actor', 'running', 0, 0],
        ['edge/b', 'actor', 'running', 0, 0],
        ['edge/pair', 'supervisor', 'running', 0, null],
      ],
    );
    const pair = await edge.status('edge/pair/y');
    assert.deepEqual(pair.tree.map((c) => c.address), ['edge/pair/y']);
    await running.stop();
  });

  it('restart touches exactly that actor under one_for_one, and keeps its mailbox', async () => {
    const { running, events, edge } = startTopology();
    await running.ref('edge/b', Counter).tell('add', { by: 5 });
    const outcome = await edge.restart('edge/a');
    assert.deepEqual(events, ['stopped edge/a', 'started edge/a', 'restarted edge/a']);
    assert.deepEqual([outcome.address, outcome.status.state, outcome.status.restarts], ['edge/a', 'running', 1]);
    assert.equal(await running.ref('edge/b', Counter).ask('get', {}), 5);
    await running.stop();
  });

  it('restart follows the supervisor strategy: one_for_all brings the sibling down and back too', async () => {
    const { running, events, edge } = startTopology();
    await edge.restart('edge/pair/x');
    assert.deepEqual(events, [
      'stopped edge/pair/x',
      'stopped edge/pair/y',
      'started edge/pair/x',
      'restarted edge/pair/x',
      'started edge/pair/y',
      'restarted edge/pair/y',
    ]);
    await running.stop();
  });

  it('stop keeps a child down, even when a one_for_all sibling crashes; start brings it back', async () => {
    const { running, events, edge } = startTopology();
    const stopped = await edge.stop('edge/pair/y');
    assert.equal(stopped.status.state, 'stopped');
    await running.ref('edge/pair/x', Counter).tell('crash', { reason: 'boom' });
    await settleMany(10);
    assert.equal((await edge.status('edge/pair/y')).tree[0].state, 'stopped');
    const started = await edge.start('edge/pair/y');
    assert.deepEqual([started.status.state, started.status.restarts], ['running', 0]);
    assert.deepEqual(events, [
      'stopped edge/pair/y',
      'failed edge/pair/x',
      'stopped edge/pair/x',
      'started edge/pair/x',
      'restarted edge/pair/x',
      'started edge/pair/y',
    ]);
    await running.stop();
  });

  it('refuses what the node does not host with a typed error, and keeps answering', async () => {
    const { running, edge } = startTopology();
    assert.deepEqual(await refusal(edge.restart('edge/nope')), {
      code: 'NOT_SUPERVISED',
      message: 'cannot control edge/nope: no supervised child there',
    });
    assert.deepEqual(await refusal(edge.restart('core/c')), {
      code: 'NOT_SUPERVISED',
      message: 'cannot control core/c: node edge does not host it',
    });
    assert.deepEqual(await refusal(edge.stop('edge')), {
      code: 'NOT_SUPERVISED',
      message: 'cannot control edge: no supervised child there',
    });
    assert.deepEqual(await refusal(edge.status('edge/zzz')), { code: 'UNKNOWN_ADDRESS', message: 'no actor at address edge/zzz' });
    assert.equal((await edge.status()).node, 'edge');
    assert.equal(running.system.lookup('edge/$control')?.status().restarts, 0);
    await running.stop();
  });
});

describe('control plane: restart, stop and start need the control key', () => {
  it('refuses them from a client without the key, with a typed error and a log line; status stays open and nothing moves', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const running = run(topology, { control: true, logger: pino({ base: undefined, timestamp: false }, sink) });
    const events = recordEvents(running.system);
    const anonymous = new ControlClient(actorChannel(running.system, 'edge'));
    for (const action of ['restart', 'stop', 'start'] as const) {
      assert.deepEqual(await refusal(anonymous[action]('edge/a')), {
        code: 'CONTROL_UNAUTHORIZED',
        message: `control request to node edge refused: '${action}' carries no authenticator (it needs the node's control key)`,
      });
    }
    const stranger = new ControlClient(actorChannel(running.system, 'edge', { key: ControlKey.generate() }));
    assert.deepEqual(await refusal(stranger.stop('edge/a')), {
      code: 'CONTROL_UNAUTHORIZED',
      message: "control request to node edge refused: bad authenticator for 'stop' (not made with this node's control key)",
    });
    assert.equal((await anonymous.status('edge/a')).tree[0].state, 'running');
    assert.deepEqual(events, []);
    const refused = lines.map((line) => JSON.parse(line) as { msg: string; type: string; target: string; code: string; address: string });
    assert.deepEqual(
      refused.map(({ msg, type, target, code, address }) => [msg, type, target, code, address]),
      [...(['restart', 'stop', 'start', 'stop'] as const)].map((type) => ['control request refused', type, 'edge/a', 'CONTROL_UNAUTHORIZED', 'edge/$control']),
    );
    await running.stop();
  });

  it('binds the MAC to node, type and address: a signature for one request does not pass for another', () => {
    const key = ControlKey.generate();
    const auth = signRequest(key, 'edge', 'restart', 'edge/a', 1_000);
    const edge = new ControlVerifier(key, 'edge');
    for (const [verifier, type, address] of [
      [new ControlVerifier(key, 'core'), 'restart', 'edge/a'],
      [edge, 'stop', 'edge/a'],
      [edge, 'restart', 'edge/b'],
    ] as const) {
      assert.throws(() => verifier.check(type, { address, auth }, 1_000), { code: 'CONTROL_UNAUTHORIZED' });
    }
    assert.doesNotThrow(() => edge.check('restart', { address: 'edge/a', auth }, 1_000));
  });

  it('refuses a timestamp outside ±30 s and a nonce seen within the window, and forgets nonces past it', () => {
    const key = ControlKey.generate();
    const verifier = new ControlVerifier(key, 'edge', { maxNonces: 2 });
    const at = (timestamp: number): ControlAuth => signRequest(key, 'edge', 'stop', 'edge/a', timestamp);
    const check = (auth: ControlAuth, now: number) => verifier.check('stop', { address: 'edge/a', auth }, now);
    assert.throws(() => check(at(100_000 - 30_001), 100_000), {
      code: 'CONTROL_REPLAY',
      message: 'control request to node edge refused as a possible replay: signed 30 s ago, outside the ±30 s window (or the clocks disagree)',
    });
    assert.throws(() => check(at(100_000 + 45_000), 100_000), { code: 'CONTROL_REPLAY', message: /signed 45 s ahead/ });
    const first = at(100_000);
    check(first, 100_000);
    assert.throws(() => check(first, 129_000), { code: 'CONTROL_REPLAY', message: 'control request to node edge refused as a possible replay: its nonce was already used' });
    check(at(100_500), 100_500);
    assert.throws(() => check(at(101_000), 101_000), {
      code: 'CONTROL_UNAUTHORIZED',
      message: 'control request to node edge refused: more than 2 control requests within 30 s',
    });
    // Once the first two fall out of the window they are forgotten, and room is made.
    check(at(131_000), 131_000);
    assert.throws(() => check(first, 131_000), { code: 'CONTROL_REPLAY', message: /outside the ±30 s window/ });
  });
});

describe('control plane: the control key file', () => {
  let directory: string;
  beforeEach(async () => (directory = await mkdtemp(join(tmpdir(), 'airlock-key-'))));
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('lives beside the admin sockets unless $AIRLOCK_CONTROL_KEY_FILE says otherwise', () => {
    assert.equal(controlKeyPath({}, '/srv/shop'), '/srv/shop/.airlock/control.key');
    assert.equal(controlKeyPath({ AIRLOCK_ADMIN_DIR: '/run/airlock' }, '/srv/shop'), '/run/airlock/control.key');
    assert.equal(controlKeyPath({ AIRLOCK_CONTROL_KEY_FILE: '/etc/airlock/key', AIRLOCK_ADMIN_DIR: '/run/airlock' }, '/srv/shop'), '/etc/airlock/key');
  });

  it('is created once: 32 random bytes, mode 0600 in a 0700 directory; later runs read the same key', async () => {
    const path = join(directory, 'private', 'control.key');
    const [a, b] = await Promise.all([ensureControlKey(path), ensureControlKey(path)]);
    assert.equal((await stat(join(directory, 'private'))).mode & 0o777, 0o700);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const bytes = await readFile(path);
    assert.equal(bytes.byteLength, 32);
    assert.deepEqual([a.bytes(), b.bytes(), (await ensureControlKey(path)).bytes()], [bytes, bytes, bytes]);
    assert.notDeepEqual((await ensureControlKey(join(directory, 'other.key'))).bytes(), bytes);
  });

  it('is refused when others may read it, when it is missing, or when it is not a key, with a clear message', async () => {
    const path = join(directory, 'control.key');
    await assert.rejects(readControlKey(path), {
      code: 'CONTROL_KEY',
      message: `control key ${path}: no such file (\`airlock run\` creates it beside the node's admin socket; copy it here, mode 0600, or point $AIRLOCK_CONTROL_KEY_FILE at it)`,
    });
    await ensureControlKey(path);
    await chmod(path, 0o644);
    await assert.rejects(readControlKey(path), {
      code: 'CONTROL_KEY',
      message: `control key ${path}: mode 0644 lets other users read it; make it owner-only (chmod 600 ${path})`,
    });
    await assert.rejects(ensureControlKey(path), { code: 'CONTROL_KEY' });
    await writeFile(path, 'short', { mode: 0o600 });
    await chmod(path, 0o600);
    await assert.rejects(readControlKey(path), { code: 'CONTROL_KEY', message: `control key ${path}: holds 5 bytes, not 32` });
  });
});

describe('control plane over RabbitMQ: requests published by anyone on the broker', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('ctlauth');
  const replies = `$replies/spec-raw-${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`; // a well-formed reply address
  const key = ControlKey.generate();
  let running: RunningTopology;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  const answers = new Map<string, unknown>();
  let wake: (() => void) | undefined;
  let sequence = 0;

  before(async () => {
    await requireBroker();
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    running = run(topology, { node: 'edge', transport, control: { key } });
    // `run` returns before the broker has the node's queues: the raw asks below need its `$control` queue bound.
    await transport.ready();
    raw = await rawChannel();
    await raw.channel.assertExchange(namespace, 'direct', { durable: true });
    const queue = `${namespace}:${replies}`;
    await raw.channel.assertQueue(queue, { exclusive: true, autoDelete: true });
    await raw.channel.bindQueue(queue, namespace, replies);
    await raw.channel.consume(queue, (message) => {
      if (!message) return;
      const reply = decodeEnvelope(message.content);
      answers.set(reply.correlationId!, reply.body);
      wake?.();
    }, { noAck: true });
    // The node is up once its control actor answers.
    assert.equal(((await publish('status', {})) as { ok: boolean }).ok, true);
  });

  after(async () => {
    await raw?.connection.close();
    await running?.stop();
    await running?.system.transport.close();
    await cleanup(namespace, ['edge/a', 'edge/b', 'edge/pair/x', 'edge/pair/y', 'edge/$control']);
  });

  /** Publishes a Control request with plain amqplib, as an outsider would, and awaits its answer. */
  async function publish(type: string, body: unknown): Promise<unknown> {
    const id = `raw-${++sequence}`;
    const frame = encodeEnvelope({ id, to: 'edge/$control', type, body, correlationId: id, replyTo: replies, attempt: 0 });
    await new Promise<void>((resolve, reject) =>
      raw.channel.publish(namespace, 'edge/$control', Buffer.from(frame), {}, (error) => (error ? reject(error) : resolve())),
    );
    while (!answers.has(id)) await new Promise<void>((resolve) => (wake = resolve));
    return answers.get(id);
  }

  const stateOfA = async () => {
    const status = (await publish('status', { address: 'edge/a' })) as { tree: { state: string; restarts: number }[] };
    return [status.tree[0].state, status.tree[0].restarts];
  };
  const refused = (code: string, message: string) => ({ ok: false, error: { code, message, fields: { node: 'edge' } } });

  it('refuses a stop with no authenticator, or one not made with the node key; the actor keeps running', async () => {
    assert.deepEqual(
      await publish('stop', { address: 'edge/a' }),
      refused('CONTROL_UNAUTHORIZED', "control request to node edge refused: 'stop' carries no authenticator (it needs the node's control key)"),
    );
    const forged = signRequest(ControlKey.generate(), 'edge', 'stop', 'edge/a', Date.now());
    assert.deepEqual(
      await publish('stop', { address: 'edge/a', auth: forged }),
      refused('CONTROL_UNAUTHORIZED', "control request to node edge refused: bad authenticator for 'stop' (not made with this node's control key)"),
    );
    const garbled = { ...signRequest(key, 'edge', 'stop', 'edge/a', Date.now()), mac: 'not hex' };
    assert.deepEqual(await publish('stop', { address: 'edge/a', auth: garbled }), {
      code: 'INVALID_MESSAGE',
      message: "message 'stop' does not match protocol airlock.control: auth.mac: Invalid string: must match pattern /^[0-9a-f]{64}$/",
      fields: { protocol: 'airlock.control', type: 'stop', issues: ['auth.mac: Invalid string: must match pattern /^[0-9a-f]{64}$/'] },
    });
    assert.deepEqual(await stateOfA(), ['running', 0]);
  });

  it('refuses a stop signed with the key a minute ago, and a valid stop replayed; only the original acts', async () => {
    const stale = signRequest(key, 'edge', 'stop', 'edge/a', Date.now() - 60_000);
    const answer = (await publish('stop', { address: 'edge/a', auth: stale })) as { error: { code: string; message: string } };
    assert.equal(answer.error.code, 'CONTROL_REPLAY');
    assert.match(answer.error.message, /^control request to node edge refused as a possible replay: signed 60 s ago, outside the ±30 s window/);
    assert.deepEqual(await stateOfA(), ['running', 0]);

    const valid = { address: 'edge/a', auth: signRequest(key, 'edge', 'stop', 'edge/a', Date.now()) };
    assert.deepEqual(((await publish('stop', valid)) as { ok: boolean; status: { state: string } }).status.state, 'stopped');
    const edge = new ControlClient(actorChannel(running.system, 'edge', { key }));
    assert.equal((await edge.start('edge/a')).status.state, 'running');
    assert.deepEqual(
      await publish('stop', valid),
      refused('CONTROL_REPLAY', 'control request to node edge refused as a possible replay: its nonce was already used'),
    );
    assert.deepEqual(await stateOfA(), ['running', 0]);
  });
});

describe('control plane: the local admin socket', () => {
  let directory: string;
  let running: RunningTopology;
  let admin: AdminServer;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'airlock-cp-'));
    running = run(topology, { control: true });
    admin = await AdminServer.listen({ system: running.system, node: 'edge', key: running.controlKey, path: join(directory, 'admin', 'edge.sock') });
  });

  afterEach(async () => {
    await admin.close();
    await running.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('is owner-only: socket 0600 inside a 0700 directory', async () => {
    assert.equal((await stat(join(directory, 'admin'))).mode & 0o777, 0o700);
    assert.equal((await stat(admin.path)).mode & 0o777, 0o600);
  });

  it('forwards Control requests to the control actor: status and restart over a real socket', async () => {
    const events = recordEvents(running.system);
    const client = new ControlClient(await AdminSocketChannel.connect(admin.path));
    assert.deepEqual((await client.status()).tree[0].children?.map((c) => c.address), ['edge/a', 'edge/b', 'edge/pair']);
    assert.equal((await client.restart('edge/b')).status.restarts, 1);
    assert.deepEqual(events, ['stopped edge/b', 'started edge/b', 'restarted edge/b']);
    assert.deepEqual(await refusal(client.restart('core/c')), {
      code: 'NOT_SUPERVISED',
      message: 'cannot control core/c: node edge does not host it',
    });
    client.close();
  });

  it('answers bad frames with typed errors and goes on serving the same connection', async () => {
    const raw = await rawConnection(admin.path);
    const garbage = Buffer.from([0, 0, 0, 2, 0x92, 0x01]); // a two-element array cut after one element
    assert.deepEqual(await raw.request(garbage), { id: null, error: { code: 'MALFORMED_FRAME', message: 'malformed frame: not msgpack' } });
    assert.deepEqual(await raw.request(encodeAdminFrame({ id: 7, type: 'explode', body: {} })), {
      id: 7,
      error: {
        code: 'INVALID_MESSAGE',
        message: `message 'request' does not match protocol airlock.admin: type: Invalid option: expected one of "status"|"stats"|"events"|"restart"|"stop"|"start"|"startChild"|"stopChild"`,
        fields: { protocol: 'airlock.admin', type: 'request', issues: ['type: Invalid option: expected one of "status"|"stats"|"events"|"restart"|"stop"|"start"|"startChild"|"stopChild"'] },
      },
    });
    assert.deepEqual(await raw.request(encodeAdminFrame({ id: 8, type: 'restart', body: { address: 42 } })), {
      id: 8,
      error: {
        code: 'INVALID_MESSAGE',
        message: `message 'restart' does not match protocol airlock.control: address: Invalid input: expected string, received number`,
        fields: { protocol: 'airlock.control', type: 'restart', issues: ['address: Invalid input: expected string, received number'] },
      },
    });
    const ok = (await raw.request(encodeAdminFrame({ id: 9, type: 'status', body: {} }))) as { id: number; reply: { node: string } };
    assert.deepEqual([ok.id, ok.reply.node], [9, 'edge']);
    raw.socket.destroy();
  });

  it('answers a request whose id a client cannot read back (2^53 + 2, 1e300) with a null id, which its own client reads', async () => {
    const raw = await rawConnection(admin.path);
    for (const id of [2 ** 53 + 2, 1e300]) {
      const response = await raw.request(encodeAdminFrame({ id, type: 'status', body: {} }));
      assert.deepEqual(AdminResponseSchema.parse(response), {
        id: null,
        error: {
          code: 'INVALID_MESSAGE',
          message: `message 'request' does not match protocol airlock.admin: id: Too big: expected int to be <=9007199254740991`,
          fields: { protocol: 'airlock.admin', type: 'request', issues: ['id: Too big: expected int to be <=9007199254740991'] },
        },
      });
    }
    const ok = (await raw.request(encodeAdminFrame({ id: Number.MAX_SAFE_INTEGER, type: 'status', body: {} }))) as { id: number; reply: { node: string } };
    assert.deepEqual([ok.id, ok.reply.node], [Number.MAX_SAFE_INTEGER, 'edge']);
    raw.socket.destroy();
  });

  it('rejects a client\'s ask with the reason the node gives when it could not read the request (an oversized frame)', async () => {
    const small = await AdminServer.listen({ system: running.system, node: 'edge', path: join(directory, 'admin', 'small.sock'), maxFrameBytes: 16 });
    try {
      const client = new ControlClient(await AdminSocketChannel.connect(small.path));
      assert.deepEqual(await refusal(client.status()), { code: 'OVERSIZED_MESSAGE', message: 'message of 27 bytes exceeds the limit of 16 bytes' });
      client.close();
    } finally {
      await small.close();
    }
  });

  it('closes a connection that announces an oversized frame; the node keeps serving others', async () => {
    const raw = await rawConnection(admin.path);
    const closed = new Promise((resolve) => raw.socket.once('close', resolve));
    assert.deepEqual(await raw.request(Buffer.from([0x7f, 0xff, 0xff, 0xff])), {
      id: null,
      error: { code: 'OVERSIZED_MESSAGE', message: 'message of 2147483647 bytes exceeds the limit of 1048576 bytes', fields: { size: 2147483647, limit: 1048576 } },
    });
    await closed;
    const client = new ControlClient(await AdminSocketChannel.connect(admin.path));
    assert.equal((await client.status()).node, 'edge');
    client.close();
  });

  it('replaces a stale socket file, but refuses to take over one a live node serves', async () => {
    await assert.rejects(AdminServer.listen({ system: running.system, node: 'edge', path: admin.path }), {
      code: 'ADMIN_SOCKET',
      message: `admin socket ${admin.path}: another node is serving it`,
    });
    const stalePath = join(directory, 'admin', 'core.sock');
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(stalePath, resolve));
    // Closing the handle without unlinking leaves the file behind, as a killed node would.
    (dead as unknown as { _handle: { close(): void } })._handle.close();
    const core = await AdminServer.listen({ system: running.system, node: 'core', key: running.controlKey, path: stalePath });
    assert.equal((await new ControlClient(await AdminSocketChannel.connect(stalePath)).status()).node, 'core');
    await core.close();
    await writeFile(join(directory, 'admin', 'file.sock'), 'not a socket');
    await assert.rejects(AdminServer.listen({ system: running.system, node: 'x', path: join(directory, 'admin', 'file.sock') }), {
      code: 'ADMIN_SOCKET',
    });
  });

  it('tells a client plainly when no node serves the path', async () => {
    const missing = join(directory, 'admin', 'gone.sock');
    await assert.rejects(AdminSocketChannel.connect(missing), {
      code: 'ADMIN_SOCKET',
      message: `admin socket ${missing}: no node is serving it (is \`airlock run\` running in this directory?)`,
    });
  });
});

/** A client that writes raw bytes and reads one decoded response frame per request. */
async function rawConnection(path: string): Promise<{ socket: Socket; request(bytes: Buffer): Promise<unknown> }> {
  const socket = createConnection(path);
  await new Promise((resolve) => socket.once('connect', resolve));
  const reader = new AdminFrameReader();
  const responses: unknown[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    reader.push(chunk);
    for (let frame = reader.next(); frame; frame = reader.next()) responses.push(decodeAdminBody(frame));
    wake?.();
  });
  return {
    socket,
    async request(bytes) {
      socket.write(bytes);
      while (responses.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return responses.shift();
    },
  };
}
