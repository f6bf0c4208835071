import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { child, createSystem, startTree, supervisor, VirtualClock, type ActorSystem } from '../../../internal.ts';
import { ampRegistrarActor, dnsRegistrarActor, httpRegistrarActor, MatcherProtocol, matcherActor, RegistrarProtocol } from '../../../actors/split-broker/index.ts';
import { decodeAmpArmor, decodeRegistrationResponse, encodeRegistrationQuery } from '../../../actors/split-broker/wire/index.ts';
import { post } from './loopback.ts';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const poll = (nat: string, sid = 'p1') => JSON.stringify({ Sid: sid, Version: '1.3', Type: 'standalone', NAT: nat, Clients: 0, AcceptedRelayPattern: 'snowflake.torproject.net$' });

describe('split broker registrars and matcher, through the actors, on a virtual clock', function () {
  this.timeout(10_000);
  let system: ActorSystem;
  let clock: VirtualClock;
  let ports: { http: number; amp: number; dns: number };
  beforeEach(async () => {
    clock = new VirtualClock({ start: 1_700_000_000_000 });
    system = createSystem({ ports: { clock } });
    const edge = { port: 0, oracle: 'keyholder/oracle', matcher: 'core/matcher' };
    startTree(system, supervisor({ children: [child('matcher', matcherActor)] }), 'core');
    startTree(system, supervisor({ children: [child('http', httpRegistrarActor, { config: edge }), child('amp', ampRegistrarActor, { config: edge }), child('dns', dnsRegistrarActor, { config: { ...edge, zone: 'b.test' } })] }), 'edge');
    const where = async (id: string) => (await system.ref(`edge/${id}`, RegistrarProtocol).ask('where', {})).port;
    ports = { http: await where('http'), amp: await where('amp'), dns: await where('dns') };
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  it('a poll no client takes ends after exactly 10 s with Tor\'s "no match" bytes', async () => {
    let settled = false;
    const answer = post(ports.http, '/proxy', poll('unrestricted')).finally(() => (settled = true));
    await later(50);
    await clock.advance(9_999);
    await later(20);
    assert.equal(settled, false);
    await clock.advance(1);
    const response = await answer;
    assert.deepEqual([response.status, response.body], [200, '{"Status":"no match","Offer":"","NAT":"","RelayURL":""}']);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });

  it('OPTIONS answers 200, malformed proxy and answer requests 400 with an empty body, all with CORS', async () => {
    const options = await fetch(`http://127.0.0.1:${ports.http}/client`, { method: 'OPTIONS' });
    assert.deepEqual([options.status, options.headers.get('access-control-allow-origin')], [200, '*']);
    for (const [path, body] of [['/proxy', '{"Sid":"x","Version":"2.0"}'], ['/proxy', 'not json'], ['/answer', '{"Version":"1.3","Sid":"x"}']]) {
      const response = await post(ports.http, path!, body!);
      assert.deepEqual([response.status, response.body, response.headers.get('access-control-allow-origin')], [400, '', '*'], `${path} ${body}`);
    }
  });

  it('an answer for a client that left is "client gone"', async () => {
    const response = await post(ports.http, '/answer', '{"Version":"1.3","Sid":"nobody","Answer":"sdp"}');
    assert.deepEqual([response.status, response.body], [200, '{"Status":"client gone"}']);
  });

  it('pairs an unrestricted client with a restricted proxy first, and gives a restricted client none but unrestricted ones', async () => {
    const matcher = system.ref('core/matcher', MatcherProtocol);
    const restricted = post(ports.http, '/proxy', poll('restricted', 'r1'));
    await later(50);
    assert.deepEqual(await matcher.ask('clientOffer', { offer: 'o1', nat: 'restricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72' }), {
      error: 'no snowflake proxies currently available',
    });
    const client = matcher.ask('clientOffer', { offer: 'o2', nat: 'unrestricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72' }, { timeoutMs: 20_000 });
    assert.equal((await restricted).body, '{"Status":"client match","Offer":"o2","NAT":"unrestricted","RelayURL":"wss://snowflake.torproject.net/"}');
    await clock.advance(10_000);
    assert.deepEqual(await client, { error: 'timed out waiting for answer!' });
  });

  it('AMP: an undecodable path is answered in armor, text/html, max-age=15', async () => {
    const response = await fetch(`http://127.0.0.1:${ports.amp}/amp/client/9garbage`);
    assert.deepEqual([response.status, response.headers.get('content-type'), response.headers.get('cache-control')], [200, 'text/html', 'max-age=15']);
    assert.equal(Buffer.from(decodeAmpArmor(await response.text())).toString(), '{"error":"cannot decode URL path"}');
  });

  it('DNS: REFUSED outside the zone, FORMERR for a name that is not a chunk; the registrar keeps serving', async () => {
    const ask = (name: string) =>
      new Promise<string>((resolve) => {
        const socket = dgram.createSocket('udp4');
        socket.once('message', (message) => (socket.close(), resolve(decodeRegistrationResponse(message).rcode)));
        socket.send(encodeRegistrationQuery(name, 7), ports.dns, '127.0.0.1');
      });
    assert.equal(await ask('www.example.org'), 'REFUSED');
    assert.equal(await ask('zz!.0.1.abc.b.test'), 'FORMERR');
    assert.equal(await ask('mfrgg.0.2.abc.b.test'), 'NOERROR');
  });
});
