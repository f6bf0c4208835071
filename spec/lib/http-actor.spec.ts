import assert from 'node:assert/strict';
import net from 'node:net';
import { z } from 'zod';
import { createSystem, defineActor, defineProtocol, serveHttp, SimWorld, withConfig, type ActorSystem } from '../../internal.ts';

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
