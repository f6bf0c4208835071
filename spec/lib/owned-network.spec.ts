import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { z } from 'zod';
import {
  child,
  defineActor,
  defineProtocol,
  defineTopology,
  run,
  serveHttp,
  supervisor,
  type EventOf,
  type RunningTopology,
} from '../../internal.ts';
import { freePort } from '../support/fixtures.ts';

const Web = defineProtocol('web', { where: { body: z.object({}), reply: z.object({ port: z.number() }) } });

/** An HTTP actor on the port its config names: `/crash` throws in the handler, anything else echoes the peer. */
const web = defineActor({
  protocol: Web,
  config: z.object({ port: z.number().int().min(0) }),
  async setup(ctx) {
    const service = await serveHttp(ctx, { port: ctx.config.port }, (request, response, remote) => {
      if (request.url === '/crash') throw new Error('handler blew up');
      response.end(JSON.stringify(remote));
    });
    return { where: () => ({ port: service.address.port }) };
  },
});

const Sockets = defineProtocol('sockets', { where: { body: z.object({}), reply: z.object({ tcp: z.number(), udp: z.number() }) } });

/** Listens on TCP and UDP with callbacks that throw. */
const thrower = defineActor({
  protocol: Sockets,
  async setup(ctx) {
    const listener = await ctx.network.listen({ host: '127.0.0.1', port: 0 }, () => {
      throw new Error('connection callback blew up');
    });
    const socket = await ctx.network.bindDatagram({ host: '127.0.0.1', port: 0 }, () => {
      throw new Error('datagram callback blew up');
    });
    return { where: () => ({ tcp: listener.address.port, udp: socket.address.port }) };
  },
});


/** A raw keep-alive HTTP/1.1 client: one request on a socket that stays open. */
async function keepAliveGet(port: number): Promise<{ socket: net.Socket; body: string }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
  const response = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  return { socket, body: response.slice(response.indexOf('\r\n\r\n') + 4) };
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function nextFailure(running: RunningTopology, address: string): Promise<EventOf<'failed'>> {
  return new Promise((resolve) => {
    const subscription = running.system.on('failed').subscribe((event) => {
      if (event.address !== address) return;
      subscription.unsubscribe();
      resolve(event);
    });
  });
}

describe('network resources owned by an incarnation', () => {
  let running: RunningTopology | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('a restart of an HTTP actor with an open keep-alive connection returns at once, ends that connection and frees the port', async () => {
    const port = await freePort();
    running = run(defineTopology('t', { app: supervisor({ children: [child('web', web, { config: { port } })] }) }));
    const ref = running.system.ref('app/web', Web);
    assert.deepEqual(await ref.ask('where', {}), { port });
    const { socket, body } = await keepAliveGet(port);
    assert.deepEqual(JSON.parse(body), { host: '127.0.0.1', port: socket.localPort });
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    const began = performance.now();
    await running.supervisor('app').restartChild('web');
    await ended;
    const elapsed = performance.now() - began;

    // A restart that waited for the idle keep-alive connection would take its 5 s timeout; one that ends it takes milliseconds.
    assert.ok(elapsed < 3_000, `restart took ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(await ref.ask('where', {}), { port }, 'the new incarnation listens on the same port again');
    const again = await keepAliveGet(port);
    assert.deepEqual(JSON.parse(again.body), { host: '127.0.0.1', port: again.socket.localPort });
    again.socket.destroy();
  });

  it('a throw in a request handler crashes the actor, closes its port, and its supervisor restarts it', async () => {
    running = run(defineTopology('t', { app: supervisor({ children: [child('web', web, { config: { port: 0 } })] }) }));
    const ref = running.system.ref('app/web', Web);
    const { port: oldPort } = await ref.ask('where', {});
    const failed = nextFailure(running, 'app/web');
    const restarted = new Promise((resolve) => running!.system.on('restarted').subscribe(resolve));
    const client = net.connect(oldPort, '127.0.0.1');
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => {});
    client.write('GET /crash HTTP/1.1\r\nHost: localhost\r\n\r\n');

    assert.equal((await failed).error.message, 'handler blew up');
    await restarted;
    await clientClosed;
    assert.equal(await refused(oldPort), 'ECONNREFUSED');
    const { port } = await ref.ask('where', {});
    const { socket, body } = await keepAliveGet(port);
    assert.deepEqual(JSON.parse(body), { host: '127.0.0.1', port: socket.localPort });
    socket.destroy();
  });

  it('a throw in a connection or a datagram callback crashes the actor, not the process', async () => {
    running = run(defineTopology('t', { app: supervisor({ children: [child('sockets', thrower)] }) }));
    const ref = running.system.ref('app/sockets', Sockets);

    const first = await ref.ask('where', {});
    const connectionFailure = nextFailure(running, 'app/sockets');
    net.connect(first.tcp, '127.0.0.1').on('error', () => {});
    assert.equal((await connectionFailure).error.message, 'connection callback blew up');

    const second = await ref.ask('where', {});
    assert.notEqual(second.udp, first.udp);
    const datagramFailure = nextFailure(running, 'app/sockets');
    const sender = dgram.createSocket('udp4');
    sender.send(Buffer.from('hello'), second.udp, '127.0.0.1');
    assert.equal((await datagramFailure).error.message, 'datagram callback blew up');
    sender.close();

    assert.equal(await refused(first.tcp), 'ECONNREFUSED');
    assert.equal(running.supervisor('app').status().children![0].restarts, 2);
  });

  it('an async setup that rejects with EADDRINUSE fails the start, and the supervisor applies its intensity', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    const tree = supervisor({ intensity: { maxRestarts: 2, withinMs: 10_000 }, children: [child('web', web, { config: { port } })] });
    running = run(defineTopology('t', { app: tree }));
    const failures: string[] = [];
    running.system.on('failed').subscribe((event) => failures.push(`${event.address} ${(event.error as NodeJS.ErrnoException).code}`));
    const rootFailure = await new Promise<{ node: string; error: Error }>((resolve) => running!.rootFailures.subscribe(resolve));
    taken.close();

    assert.deepEqual(failures, ['app/web EADDRINUSE', 'app/web EADDRINUSE', 'app/web EADDRINUSE', 'app INTENSITY_EXCEEDED']);
    assert.equal(rootFailure.node, 'app');
    assert.equal((rootFailure.error as NodeJS.ErrnoException).code, 'INTENSITY_EXCEEDED');
  });
});
