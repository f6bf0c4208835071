import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
  LinkConnectError,
  LinkLostError,
  LinkRefusedError,
  createSystem,
  withConfig,
  type ActorSystem,
  type LinkDelivery,
  type LinkSession,
  type TlsMaterial,
} from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { FloatProtocol, floatActor, type FloatConfigInput } from '../../../actors/dmz-float/index.ts';
import { FORWARDED, TUNNEL, encodeActivation } from '../../../actors/dmz-float/tunnel/index.ts';
import { auditSink, bytes, floatPki, freePort, text, tick, until, type FloatPki } from './support.ts';

const INBOX_PREFIX = 'internal.peers.';
const INBOX = `${INBOX_PREFIX}${'ab'.repeat(32)}`;

describe('Float: the DMZ listener (real TLS, the test plays the BridgeManager)', function () {
  this.timeout(20_000);
  let pki: FloatPki;
  let system: ActorSystem;
  let publicPort: number;
  let audit: ReturnType<typeof auditSink>;
  const sessions: LinkSession[] = [];

  before(async () => {
    pki = await floatPki();
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close().catch(() => {});
    await system.stop({ drainTimeoutMs: 0 });
  });

  async function startFloat(extra: Partial<FloatConfigInput> = {}): Promise<ReturnType<ActorSystem['ref']>> {
    publicPort = await freePort();
    audit = auditSink();
    system = createSystem({ name: 'a-dmz' });
    const config: FloatConfigInput = {
      public: { host: '127.0.0.1', port: publicPort },
      tunnel: { host: '127.0.0.1', port: 0, tls: pki.floatTunnel, bridgeName: 'bridge-a' },
      audit: { writer: audit.writer },
      ...extra,
    };
    system.spawn(withConfig(floatActor, config), 'a-dmz/float');
    const ref = system.ref('a-dmz/float', FloatProtocol);
    await until(() => system.status().some((child) => child.state === 'running'), 'the float');
    return ref;
  }

  const status = () => system.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {});

  /** Dials the tunnel as organisation A's BridgeManager, opens the inbound receiver (deliveries go to `held`) and activates. */
  async function activate(held: LinkDelivery[], options: { maxMessageBytes?: number; activation?: Uint8Array } = {}): Promise<LinkSession> {
    const { tunnel } = await status();
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: tunnel.port, tls: pki.bridge, expectedName: 'float-a-tunnel' });
    sessions.push(session);
    await session.openReceiver(TUNNEL.inbound, { credit: 16, onDelivery: (delivery) => held.push(delivery) });
    const control = await session.openSender(TUNNEL.control);
    await control.send(options.activation ?? encodeActivation({ ...pki.floatPublic, inboxPrefix: INBOX_PREFIX, maxMessageBytes: options.maxMessageBytes }));
    return session;
  }

  async function peer(material: TlsMaterial = pki.peerB): Promise<LinkSession> {
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: publicPort, tls: material, expectedName: 'float-a' });
    sessions.push(session);
    return session;
  }

  const refusals = () => audit.lines.filter((line) => line.event === 'refused');

  it('keeps the public listener closed until a BridgeManager activates it, and closes it (forgetting the key) when the tunnel drops', async () => {
    await startFloat();
    assert.equal((await status()).active, false);
    await assert.rejects(peer(), (error: unknown) => error instanceof LinkConnectError && /ECONNREFUSED/.test(error.message));

    const tunnel = await activate([]);
    const active = await status();
    assert.deepEqual([active.active, active.public?.port], [true, publicPort]);
    await peer();

    await tunnel.close();
    await until(() => audit.lines.some((line) => line.event === 'deactivated'), 'the deactivation');
    assert.equal((await status()).active, false);
    await assert.rejects(peer(), (error: unknown) => error instanceof LinkConnectError && /ECONNREFUSED/.test(error.message));
    assert.deepEqual(
      audit.lines.map((line) => line.event),
      ['activated', 'connect', 'authenticated', 'deactivated', 'disconnect'],
    );
  });

  it('refuses a second BridgeManager while one is active, with an AMQP error and an audit line, and stays active for the first', async () => {
    await startFloat();
    await activate([]);
    const { tunnel } = await status();
    const second = await amqp10Links.connect({ host: '127.0.0.1', port: tunnel.port, tls: pki.bridge, expectedName: 'float-a-tunnel' });
    sessions.push(second);
    const refusedLink = await second.openReceiver(TUNNEL.inbound, { credit: 1, onDelivery: () => {} }).catch((error: unknown) => error);
    assert.ok(refusedLink instanceof LinkRefusedError, String(refusedLink));
    assert.deepEqual([refusedLink.condition, refusedLink.description], ['amqp:resource-locked', 'this float is already active for a bridge manager']);
    await second.closed;
    const refused = refusals();
    assert.deepEqual(
      refused.map((line) => [line.peer, line.condition, line.reason]),
      [['bridge-a', 'amqp:resource-locked', 'this float is already active for a bridge manager']],
    );
    assert.equal((await status()).active, true);
    await peer();
  });

  it('forwards a peer message with its verified identity, and settles the peer only when the BridgeManager accepts', async () => {
    await startFloat();
    const held: LinkDelivery[] = [];
    await activate(held);
    const events: string[] = [];
    const sender = await (await peer()).openSender(INBOX);
    const sent = sender.send(bytes('hello A'), { messageId: 'm-1', properties: { [FORWARDED.peer]: 'forged' } }).then(() => events.push('peer settled'));
    await until(() => held.length === 1, 'the forwarded message');
    await tick(50);
    events.push('bridge accepts');
    const [forwarded] = held;
    assert.equal(text(forwarded.bytes), 'hello A');
    assert.equal(forwarded.messageId, 'm-1');
    const fingerprint = forwarded.properties[FORWARDED.peerFingerprint];
    assert.deepEqual(
      { target: forwarded.properties[FORWARDED.target], peer: forwarded.properties[FORWARDED.peer] },
      { target: INBOX, peer: 'node-b' },
    );
    assert.match(String(fingerprint), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    forwarded.accept();
    await sent;
    assert.deepEqual(events, ['bridge accepts', 'peer settled']);
  });

  it('passes a BridgeManager refusal back to the peer, and releases the peer delivery when the tunnel drops', async () => {
    await startFloat();
    const held: LinkDelivery[] = [];
    const tunnel = await activate(held);
    const sender = await (await peer()).openSender(INBOX);
    const refused = sender.send(bytes('for nobody')).catch((error: unknown) => error);
    await until(() => held.length === 1, 'the forwarded message');
    held[0].reject('amqp:not-found', 'not an inbox of this node');
    const error = await refused;
    assert.ok(error instanceof LinkRefusedError);
    assert.deepEqual([error.condition, error.description], ['amqp:not-found', 'not an inbox of this node']);

    const inFlight = sender.send(bytes('in flight')).catch((error: unknown) => error);
    await until(() => held.length === 2, 'the second message');
    await tunnel.close();
    const lost = await inFlight;
    // The peer never sees an acceptance for a message the broker does not have: it may send it again.
    assert.ok(lost instanceof LinkLostError || (lost instanceof LinkRefusedError && lost.condition === 'amqp:released'), String(lost));
  });

  it('refuses control, reply and non-inbox targets, oversized messages and a peer over its credit, each with an AMQP error and an audit line, and keeps serving others', async () => {
    await startFloat({ creditPerPeer: 2 });
    const held: LinkDelivery[] = [];
    await activate(held, { maxMessageBytes: 1024 });
    const session = await peer();

    const control = await session.openSender('a-bridge/$control').catch((error: unknown) => error);
    assert.ok(control instanceof LinkRefusedError);
    assert.equal(control.condition, 'amqp:unauthorized-access');
    const rpc = await session.openSender('a-bridge/bridges').catch((error: unknown) => error);
    assert.ok(rpc instanceof LinkRefusedError);
    assert.equal(rpc.condition, 'amqp:not-found');
    const nested = await session.openSender(`${INBOX}/deeper`).catch((error: unknown) => error);
    assert.ok(nested instanceof LinkRefusedError);
    assert.equal(nested.condition, 'amqp:not-found');

    const sender = await session.openSender(INBOX);
    const big = await sender.send(new Uint8Array(1025)).catch((error: unknown) => error);
    assert.ok(big instanceof LinkRefusedError);
    assert.deepEqual([big.condition, big.description], ['amqp:link:message-size-exceeded', 'message of 1025 bytes exceeds the limit of 1024 bytes']);

    // Two links of credit 2 each, but the peer may hold 2 unsettled in all.
    const second = await session.openSender(`${INBOX_PREFIX}${'cd'.repeat(32)}`);
    const first = [sender.send(bytes('1')), sender.send(bytes('2'))];
    await until(() => held.length === 2, 'two held deliveries');
    const over = await second.send(bytes('3')).catch((error: unknown) => error);
    assert.ok(over instanceof LinkRefusedError);
    assert.deepEqual([over.condition, over.description], ['amqp:link:transfer-limit-exceeded', 'more than 2 unsettled deliveries from this peer']);
    for (const delivery of held) delivery.accept();
    await Promise.all(first);

    assert.deepEqual(
      refusals().map((line) => [line.peer, line.condition]),
      [
        ['node-b', 'amqp:unauthorized-access'],
        ['node-b', 'amqp:not-found'],
        ['node-b', 'amqp:not-found'],
        // No line for the oversized message: the limit is advertised on attach, so the peer's sender refused it itself.
        ['node-b', 'amqp:link:transfer-limit-exceeded'],
      ],
    );
    // The Float still serves: a fresh peer session delivers.
    const later = (await peer()).openSender(INBOX).then((link) => link.send(bytes('still up')));
    await until(() => held.length === 3, 'the later message');
    held[2].accept();
    await later;
  });

  it('refuses peers without a certificate or with one from another CA at the TLS handshake, with an audit line each', async () => {
    await startFloat();
    await activate([]);
    await assert.rejects(peer(pki.foreign), LinkConnectError);
    const bare = tls.connect({ host: '127.0.0.1', port: publicPort, ca: pki.network.certPem, servername: 'float-a' });
    bare.on('error', () => {});
    await until(() => refusals().length === 2, 'two refusals');
    bare.destroy();
    const reasons = refusals().map((line) => [String(line.condition), String(line.reason)]);
    assert.equal(reasons.length, 2);
    for (const [condition] of reasons) assert.equal(condition, 'tls');
    assert.equal(reasons.filter(([, reason]) => /peer did not return a certificate/.test(reason)).length, 1, JSON.stringify(reasons));
    assert.equal(reasons.filter(([, reason]) => /certificate (verify failed|refused)|unknown ca|unable to/i.test(reason)).length, 1, JSON.stringify(reasons));
    await peer();
  });

  it('refuses an activation that is not valid, and stays inactive', async () => {
    await startFloat();
    const error = await activate([], { activation: bytes('{"key": 1}') }).catch((caught: unknown) => caught);
    assert.ok(error instanceof LinkRefusedError);
    assert.equal(error.condition, 'amqp:decode-error');
    assert.match(error.description, /^invalid float\/activate|activate/);
    assert.equal((await status()).active, false);
  });

  it('answers the health-check phrase on its own plain TCP listener', async () => {
    await startFloat({ healthCheck: { host: '127.0.0.1', port: 0, phrase: 'ISALIVE' } });
    const { health } = await status();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(health!.port, '127.0.0.1', () => socket.write('ISALIVE\n'));
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    assert.equal(answer, 'ISALIVE\n');
  });

  it('holds its public key in memory only: the config has none, and the disk gets nothing but the audit log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-float-'));
    try {
      const config = { public: { host: '127.0.0.1', port: await freePort() }, tunnel: { host: '127.0.0.1', port: 0, tls: pki.floatTunnel }, audit: { file: join(dir, 'audit.jsonl') } };
      assert.ok(!JSON.stringify(config).includes(pki.floatPublic.key), 'the config carries only the tunnel material');
      publicPort = config.public.port;
      audit = auditSink();
      system = createSystem({ name: 'a-dmz' });
      system.spawn(withConfig(floatActor, config), 'a-dmz/float');
      await until(() => system.status().some((child) => child.state === 'running'), 'the float');
      await activate([]);
      await peer();
      await system.stop({ drainTimeoutMs: 0 });
      system = createSystem();
      await tick(100);
      assert.deepEqual(await readdir(dir), ['audit.jsonl']);
      const written = await readFile(join(dir, 'audit.jsonl'), 'utf8');
      assert.deepEqual(
        written.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event).sort(),
        ['activated', 'authenticated', 'connect', 'deactivated', 'disconnect'],
      );
      assert.ok(!written.includes('PRIVATE KEY'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to bind its public listener to every interface unless asked', () => {
    assert.throws(
      () => withConfig(floatActor, { public: { host: '0.0.0.0', port: 443 }, tunnel: { host: '127.0.0.1', port: 0 } }),
      /public\.host: public\.host binds every interface|binds every interface/,
    );
    withConfig(floatActor, { public: { host: '0.0.0.0', port: 443 }, bindAnyAddress: true, tunnel: { host: '127.0.0.1', port: 0 } });
  });
});
