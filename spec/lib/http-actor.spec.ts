import assert from 'node:assert/strict';
import net from 'node:net';
import { z } from 'zod';
import { createSystem, defineActor, defineProtocol, serveHttp, SimWorld, VirtualClock, withConfig, type ActorSystem } from '../../internal.ts';

const Web = defineProtocol('web', { where: { body: z.object({}), reply: z.object({ host: z.string(), port: z.number() }) } });

/** Serves the peer's address back as JSON. */
const whoami = defineActor({
  protocol: Web,
  config: z.object({ port: z.number().int() }),
  async setup(ctx) {
    const service = await serveHttp(ctx, { port: ctx.config.port }, (_request, response, remote) => response.end(JSON.stringify(remote)));
    return { where: () => service.address };
  },
});

const Caller = defineProtocol('caller', { call: { body: z.object({ port: z.number() }), reply: z.object({ host: z.string(), port: z.number() }) } });

/** Dials and answers with the remote address the port reports. */
const caller = defineActor({
  protocol: Caller,
  setup: (ctx) => ({
    async call({ port }) {
      const { stream, remote } = await ctx.network.dial({ host: '127.0.0.1', port });
      stream.destroy();
      return remote;
    },
  }),
});

function responseBody(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) =>
    stream.once('data', (chunk: Buffer) => {
      const text = chunk.toString();
      resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
    }),
  );
}

describe('actors that serve and dial', () => {
  let system: ActorSystem;
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('dial reports the remote address on real sockets', async () => {
    system = createSystem();
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      assert.deepEqual(await system.spawn(caller, 'caller').ask('call', { port }), { host: '127.0.0.1', port });
    } finally {
      server.close();
    }
  });

  it('on the simulated network, dial reports the server and the HTTP helper the client, by host and port', async () => {
    const world = new SimWorld(1, { calmAt: 1_000 });
    system = createSystem({ ports: { network: world.network.portFor('srv') } });
    const ref = system.spawn(withConfig(whoami, { port: 80 }), 'web');
    assert.deepEqual(await ref.ask('where', {}), { host: 'srv', port: 80 });

    const { stream, remote } = await world.network.portFor('cli').dial({ host: 'srv', port: 80 });
    assert.deepEqual(remote, { host: 'srv', port: 80 });
    const body = responseBody(stream);
    stream.write('GET / HTTP/1.1\r\nHost: srv\r\n\r\n');
    const running = world.run();
    assert.deepEqual(JSON.parse(await body), { host: 'cli', port: 40_000 });
    stream.destroy();
    await running;
  });
});

describe('serveHttp: a client must deliver each request within the deadline (system clock)', () => {
  const slow = defineActor({
    protocol: Web,
    config: z.object({ port: z.number().int() }),
    async setup(ctx) {
      const service = await serveHttp(ctx, { port: ctx.config.port, requestTimeoutMs: 1_000 }, (request, response) => {
        // A long poll: answers 5 s (virtual) after the whole request arrived.
        request.resume();
        request.once('end', () => ctx.clock.setTimer(5_000, () => response.end('late but kept')));
      });
      return { where: () => service.address };
    },
  });
  let system: ActorSystem;
  const clock = new VirtualClock();

  beforeEach(() => {
    system = createSystem({ ports: { clock } });
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  let servers = 0;
  async function open(): Promise<{ socket: net.Socket; closed: Promise<void> }> {
    const { port } = await system.spawn(withConfig(slow, { port: 0 }), `slow-${++servers}`).ask('where', {});
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    return { socket, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
  }
  const turn = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('ends a connection whose headers trickle in past the deadline (a slowloris)', async () => {
    const { socket, closed } = await open();
    socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
    await turn();
    await clock.advance(999);
    await turn();
    assert.equal(socket.destroyed, false, 'still within the deadline');
    socket.write('X-Slow: 1\r\n');
    await clock.advance(1);
    await closed;
  });

  it('ends a connection whose body never completes, but not a long poll after the whole request', async () => {
    const { socket, closed } = await open();
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab');
    await turn();
    await clock.advance(1_000);
    await closed;

    const polled = await open();
    const answer = new Promise<string>((resolve) => polled.socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    polled.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd');
    await turn();
    await clock.advance(4_999);
    await turn();
    assert.equal(polled.socket.destroyed, false, 'the long poll is the handler\'s time');
    await clock.advance(1);
    assert.match(await answer, /late but kept$/);
    polled.socket.destroy();
  });
});
