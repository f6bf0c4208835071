import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, createSystem, startTree, supervisor, VirtualClock, type ActorSystem } from '../../../../internal.ts';
import { ampRegistrarActor, httpRegistrarActor, MatcherProtocol, matcherActor, oracleActor, RegistrarProtocol, writeKeyDir } from '../../../../actors/split-broker/index.ts';
import { Registry } from '../../../../actors/ops/index.ts';
import { DEFAULT_BRIDGE_FINGERPRINT } from '../../../../actors/split-broker/wire/index.ts';
import { post } from '../loopback.ts';

const pollBody = (sid: string) => JSON.stringify({ Sid: sid, Version: '1.3', Type: 'standalone', NAT: 'unrestricted', Clients: 0, AcceptedRelayPattern: 'snowflake.torproject.net$' });
const offer = (sdp: string) => ({ offer: sdp, nat: 'restricted' as const, fingerprint: DEFAULT_BRIDGE_FINGERPRINT });

/** The value of a gauge or counter with exactly these labels, 0 when absent. */
async function figure(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value ?? 0;
}

/**
 * Waits for `condition`, checking as the event loop turns. The deadline is real time: what it
 * waits for (a socket close reaching the registrar, a tell reaching the Matcher) takes a few
 * milliseconds, so 5 s is over 100 times that, even on a busy machine.
 */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A proxy poll sent over a raw connection, so the test can hang up on it. */
function rawPoll(port: number, sid: string): Socket {
  const body = pollBody(sid);
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.write(`POST /proxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socket.on('error', () => {});
  return socket;
}

describe('HTTP registrar under hostile clients, on a virtual clock', function () {
  this.timeout(20_000);
  let system: ActorSystem;
  let clock: VirtualClock;
  let edge: Registry;
  let core: Registry;
  let dir: string;
  let ports: { http: number; amp: number };
  const start = async (rate: { burst: number; perSecond: number } = { burst: 10_000, perSecond: 10_000 }) => {
    const config = { port: 0, oracle: 'keyholder/oracle', matcher: 'core/matcher', metrics: edge, rate };
    startTree(system, supervisor({ children: [child('matcher', matcherActor, { config: { metrics: core } })] }), 'core');
    startTree(system, supervisor({ children: [child('oracle', oracleActor, { config: { keyDir: join(dir, 'oracle') } })] }), 'keyholder');
    startTree(system, supervisor({ children: [child('http', httpRegistrarActor, { config }), child('amp', ampRegistrarActor, { config })] }), 'edge');
    const where = async (id: string) => (await system.ref(`edge/${id}`, RegistrarProtocol).ask('where', {})).port;
    ports = { http: await where('http'), amp: await where('amp') };
  };
  beforeEach(() => {
    clock = new VirtualClock({ start: 1_700_000_000_000 });
    system = createSystem({ ports: { clock } });
    edge = new Registry();
    core = new Registry();
    dir = mkdtempSync(join(tmpdir(), 'airlock-http-registrar-'));
    writeKeyDir(join(dir, 'oracle'));
  });
  afterEach(async () => {
    await system.stop({ drainTimeoutMs: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  const available = () => figure(core, 'snowflake_available_proxies', { nat: 'unrestricted', type: 'standalone' });
  const waiting = () => figure(edge, 'snowflake_registrar_waiting', { method: 'http' });
  const refusals = (reason: string, method = 'http') => figure(edge, 'snowflake_registrar_refusals_total', { method, reason });

  it('takes back the polls of 20 proxies that hung up: 5 clients get no proxy at once, then the 5 live proxies, without a 10 s wait', async () => {
    await start();
    const matcher = system.ref('core/matcher', MatcherProtocol);
    const hungUp = Array.from({ length: 20 }, (_, i) => rawPoll(ports.http, `gone${i}`));
    await until(async () => (await available()) === 20, '20 polls waiting in the Matcher');
    for (const socket of hungUp) socket.destroy();
    await until(async () => (await waiting()) === 0 && (await available()) === 0, 'the 20 hung-up polls to be withdrawn');
    assert.equal(await figure(core, 'snowflake_proxy_poll_total', { nat: 'unrestricted', type: 'standalone', status: 'withdrawn' }), 20);

    const alone = await Promise.all([0, 1, 2, 3, 4].map((i) => matcher.ask('clientOffer', offer(`early ${i}`))));
    assert.deepEqual(alone, Array(5).fill({ error: 'no snowflake proxies currently available' }));

    const live = [0, 1, 2, 3, 4].map((i) => post(ports.http, '/proxy', pollBody(`live${i}`)));
    await until(async () => (await available()) === 5, '5 live polls waiting');
    const clients = [0, 1, 2, 3, 4].map((i) => matcher.ask('clientOffer', offer(`offer ${i}`)));
    const offers = (await Promise.all(live)).map((response) => JSON.parse(response.body).Offer as string).sort();
    assert.deepEqual(offers, ['offer 0', 'offer 1', 'offer 2', 'offer 3', 'offer 4']);
    for (let i = 0; i < 5; i++) await post(ports.http, '/answer', JSON.stringify({ Version: '1.3', Sid: `live${i}`, Answer: `answer ${i}` }));
    assert.equal((await Promise.all(clients)).filter((reply) => 'answer' in reply).length, 5);
    assert.equal(clock.now(), 1_700_000_000_000);
  });

  for (const method of ['http', 'amp'] as const) {
    it(`${method}: counts CORS preflights against their source's rate: with a burst of 3, the 4th OPTIONS gets 429`, async () => {
      await start({ burst: 3, perSecond: 1 });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`http://127.0.0.1:${ports[method]}/client`, { method: 'OPTIONS' })).status);
      statuses.push((await fetch(`http://127.0.0.1:${ports[method]}/amp/client/x`)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal(await refusals('rate-limited', method), 2);
    });
  }

  for (const method of ['http', 'amp'] as const) {
    it(`${method}: sets Snowflake's CORS headers on every response, preflights, refusals and unknown paths too`, async () => {
      await start({ burst: 3, perSecond: 1 });
      const responses = [];
      for (let i = 0; i < 3; i++) responses.push(await fetch(`http://127.0.0.1:${ports[method]}/${i === 0 ? 'client' : 'nowhere'}`, { method: i === 0 ? 'OPTIONS' : 'POST' }));
      responses.push(await fetch(`http://127.0.0.1:${ports[method]}/client`, { method: 'OPTIONS' }));
      assert.deepEqual(responses.map((response) => response.status), [200, 404, 404, 429]);
      for (const response of responses) {
        assert.equal(response.headers.get('access-control-allow-origin'), '*');
        assert.equal(response.headers.get('access-control-allow-headers'), 'Origin, X-Session-ID');
      }
    });
  }

  it('refuses as oversized a legacy body that fits but that Go escaping pushes past the limit', async () => {
    await start();
    const body = JSON.stringify({ type: 'offer', sdp: '<'.repeat(20_000) }); // 20,028 bytes; 120,000 more once `<` is `\u003c`
    const response = await post(ports.http, '/client', body, { 'Snowflake-NAT-Type': 'unrestricted' });
    assert.deepEqual([response.status, response.body], [400, '']);
    assert.equal(await refusals('oversized'), 1);
    assert.equal(await refusals('unavailable'), 0);
    assert.equal(await figure(edge, 'snowflake_registrations_total', { method: 'http', version: '1.0' }), 0);
  });

  it('answers a legacy offer with an unknown Snowflake-NAT-Type 400 with the reason, not 500', async () => {
    await start();
    const response = await post(ports.http, '/client', JSON.stringify({ type: 'offer', sdp: 'v=0' }), { 'Snowflake-NAT-Type': 'x'.repeat(1_000) });
    assert.deepEqual([response.status, response.body], [400, 'invalid NAT type']);
    assert.equal(await refusals('unavailable'), 0);
  });
});
