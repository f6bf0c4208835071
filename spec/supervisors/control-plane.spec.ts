import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actorChannel,
  AdminFrameReader,
  AdminServer,
  AdminSocketChannel,
  child,
  ControlClient,
  decodeAdminBody,
  defineTopology,
  encodeAdminFrame,
  run,
  supervisor,
  type AirlockError,
  type RunningTopology,
} from '../../index.ts';
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
  return { running, events, edge: new ControlClient(actorChannel(running.system, 'edge')) };
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
    assert.deepEqual([started.status.state, started.status.restarts], ['running', 1]);
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

describe('control plane: the local admin socket', () => {
  let directory: string;
  let running: RunningTopology;
  let admin: AdminServer;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'airlock-cp-'));
    running = run(topology, { control: true });
    admin = await AdminServer.listen({ system: running.system, node: 'edge', path: join(directory, 'admin', 'edge.sock') });
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
        message: `message 'request' does not match protocol airlock.admin: type: Invalid option: expected one of "status"|"restart"|"stop"|"start"`,
        fields: { protocol: 'airlock.admin', type: 'request', issues: ['type: Invalid option: expected one of "status"|"restart"|"stop"|"start"'] },
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
    const core = await AdminServer.listen({ system: running.system, node: 'core', path: stalePath });
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
