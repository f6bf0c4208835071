import assert from 'node:assert/strict';
import net from 'node:net';
import { VirtualClock, createSystem, withConfig, type ActorSystem } from '../../../internal.ts';
import { FloatProtocol, floatActor, type FloatConfigInput } from '../../../actors/dmz-float/index.ts';
import { floatPki, until } from './support.ts';

const PHRASE = 'ISALIVE';
/** The prober's source; the attackers dial from other loopback addresses (Linux routes all of 127/8 to lo). */
const PROBER = '127.0.0.1';
const attackerSource = (n: number) => `127.0.0.${n + 2}`;

/** One TCP connection to the health port, from `source`, that records when the Float closed it. */
class Client {
  readonly socket: net.Socket;
  closed = false;
  answer = '';
  readonly connected: Promise<void>;
  readonly ended: Promise<void>;

  constructor(port: number, source: string) {
    this.socket = net.connect({ port, host: '127.0.0.1', localAddress: source });
    this.socket.setEncoding('utf8');
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: string) => (this.answer += chunk));
    this.connected = new Promise((resolve) => this.socket.once('connect', resolve));
    this.ended = new Promise((resolve) => this.socket.once('close', () => resolve()));
    void this.ended.then(() => (this.closed = true));
  }
}

/** A real probe: its line, the answer, the close. */
async function probe(port: number): Promise<string> {
  const client = new Client(port, PROBER);
  await client.connected;
  client.socket.write(`${PHRASE}\n`);
  await client.ended;
  return client.answer;
}

describe('Float health check under a connection flood (real sockets, virtual clock)', function () {
  // Everything waits on events; the limit only bounds a hang (a few hundred ms of work, ten times over and more).
  this.timeout(20_000);
  let system: ActorSystem;
  let clock: VirtualClock;
  const clients: Client[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await system.stop({ drainTimeoutMs: 0 });
  });

  async function startFloat(healthCheck: Partial<NonNullable<FloatConfigInput['healthCheck']>> = {}): Promise<number> {
    const pki = await floatPki();
    clock = new VirtualClock({ start: 1_000_000 });
    system = createSystem({ name: 'a-dmz', ports: { clock } });
    const config: FloatConfigInput = {
      public: { host: '127.0.0.1', port: 0 },
      tunnel: { host: '127.0.0.1', port: 0, tls: pki.floatTunnel },
      healthCheck: { host: '127.0.0.1', port: 0, phrase: PHRASE, ...healthCheck },
      audit: { writer: () => {} },
    };
    system.spawn(withConfig(floatActor, config), 'a-dmz/float');
    await until(() => system.status().some((child) => child.state === 'running'), 'the float');
    const { health } = await system.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {});
    return health!.port;
  }

  it('answers 20 of 20 probes while one source holds 80 idle connections open, each reopened as soon as it is closed', async () => {
    const port = await startFloat();
    let flooding = true;
    const flood = (): void => {
      const client = new Client(port, attackerSource(0));
      clients.push(client);
      void client.ended.then(() => {
        if (flooding) flood();
      });
    };
    for (let n = 0; n < 80; n++) flood();
    await Promise.all(clients.map((client) => client.connected));

    const answers: string[] = [];
    for (let n = 0; n < 20; n++) answers.push(await probe(port));
    flooding = false;
    assert.equal(answers.filter((answer) => answer === `${PHRASE}\n`).length, 20);
  });

  it('when 80 idle connections from ten sources fill its 64 slots, closes the 16 oldest for the newer ones and one more for each probe, and answers every probe', async () => {
    const port = await startFloat();
    for (let n = 0; n < 80; n++) {
      const client = new Client(port, attackerSource(Math.floor(n / 8)));
      clients.push(client);
      // One after the other: the listener accepts them in this order, so which are the oldest is known.
      await client.connected;
    }
    const closed = () => clients.flatMap((client, index) => (client.closed ? [index] : []));
    await until(() => closed().length === 16, () => `the 16 oldest to be closed (closed: ${closed().join(', ')})`);
    assert.deepEqual(closed(), Array.from({ length: 16 }, (_, index) => index));

    assert.equal(await probe(port), `${PHRASE}\n`);
    assert.equal(await probe(port), `${PHRASE}\n`);
    await until(() => closed().length === 18, () => `one more idle connection closed per probe (closed: ${closed().join(', ')})`);
    assert.deepEqual(closed(), Array.from({ length: 18 }, (_, index) => index));
  });

  it('closes a connection that sent nothing once its first-byte deadline (1 s) has passed on the clock, and not a millisecond before', async () => {
    const port = await startFloat();
    const idle = Array.from({ length: 3 }, () => new Client(port, attackerSource(0)));
    clients.push(...idle);
    await Promise.all(idle.map((client) => client.connected));
    // A probe round trip after each step: the listener has taken the idle ones, and any close it made has reached them.
    assert.equal(await probe(port), `${PHRASE}\n`);
    await clock.advance(999);
    assert.equal(await probe(port), `${PHRASE}\n`);
    assert.deepEqual(idle.map((client) => client.closed), [false, false, false]);
    await clock.advance(1);
    await until(() => idle.every((client) => client.closed), 'the idle connections to be closed');
    assert.deepEqual(idle.map((client) => client.answer), ['', '', '']);
  });
});
