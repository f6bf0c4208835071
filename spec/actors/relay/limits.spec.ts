import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { realClock } from '../../../lib/ports/clock.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
import { freePort, until } from '../../../testing/index.ts';
import { attach, connect, identityOf, IdentityMismatchError, RelayRefusedError, type Attachment, type RelayedStream } from '../../../actors/relay/index.ts';
import { dialRelay, readFrame } from '../../../actors/relay/client/handshake.ts';
import { encodeFrame, FrameReader, type Frame } from '../../../actors/relay/wire/index.ts';
import { collect, relayPki, startRelay, type StartedRelay } from './support.ts';

const refusal = (code: string) => (error: unknown) => error instanceof RelayRefusedError && error.code === code;

describe('relay refusals and limits (typed codes, virtual clock where time matters)', function () {
  this.timeout(20_000);
  let relay: StartedRelay | undefined;
  const attachments: Attachment[] = [];
  const streams: { destroy(): void }[] = [];
  afterEach(async () => {
    for (const a of attachments.splice(0)) a.close();
    for (const s of streams.splice(0)) s.destroy();
    await relay?.stop();
    relay = undefined;
  });

  async function withC(options: Parameters<typeof startRelay>[0] = {}) {
    const pki = await relayPki();
    relay = await startRelay(options);
    const c = attach(relay.hint, pki.c, { reconnect: { minMs: 50, maxMs: 200 } });
    attachments.push(c);
    c.on('stream', (stream) => {
      stream.on('error', () => {});
      stream.on('data', () => {});
    });
    await c.whenAttached();
    return { pki, c, identity: identityOf(pki.c.cert) };
  }

  /** One request frame by hand, over TCP or TLS (with a client certificate or none); the relay's first answer. */
  async function raw(frame: Frame, over: 'tcp' | 'tls' | { key: string; cert: string }): Promise<Frame> {
    const stream = await dialRelay(realNetwork, relay!.hint, over !== 'tcp', typeof over === 'object' ? over : undefined);
    streams.push(stream);
    stream.write(encodeFrame(frame));
    return readFrame(stream, realClock);
  }

  it('B refuses a relay that answers for C with its own certificate (pinning)', async () => {
    const pki = await relayPki();
    // A hostile relay: says OK to the CONNECT, then runs TLS itself with a certificate of its own.
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(encodeFrame({ type: 'STATUS', status: 'OK', grant: { ttlMs: 0, maxDurationMs: 1000, maxBytes: 1000 } }));
        const fake = new tls.TLSSocket(socket, { isServer: true, key: pki.impostor.key, cert: pki.impostor.cert });
        fake.on('error', () => {});
        fake.on('data', () => assert.fail('B sent application data to the impostor'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      await assert.rejects(connect({ host: '127.0.0.1', port }, identityOf(pki.c.cert), pki.b), (error: unknown) => {
        assert.ok(error instanceof IdentityMismatchError);
        assert.equal(error.code, 'IDENTITY_MISMATCH');
        return true;
      });
    } finally {
      server.close();
    }
  });

  it('a party cannot reserve another’s identity: its reservation is under its own key', async () => {
    const { pki, identity } = await withC();
    const impostor = attach(relay!.hint, pki.impostor);
    attachments.push(impostor);
    await impostor.whenAttached();
    assert.notEqual(impostor.identity, identity);
    assert.equal((await relay!.figures()).reservations, 2);
  });

  it('an identity nobody reserved: NO_RESERVATION', async () => {
    const { pki } = await withC();
    await assert.rejects(connect(relay!.hint, identityOf(pki.others[0]!.cert), pki.b), refusal('NO_RESERVATION'));
  });

  it('an expired reservation: NO_RESERVATION', async () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const { pki, identity } = await withC({ clock, registry: { ttlMs: 60_000 } });
    const first = await connect(relay!.hint, identity, pki.b);
    streams.push(first);
    await clock.advance(60_000);
    await assert.rejects(connect(relay!.hint, identity, pki.b), refusal('NO_RESERVATION'));
  });

  it('C renews at half its reservation’s life, over the same link: the reservation outlives its ttl (one virtual clock for relay and C)', async () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const pki = await relayPki();
    relay = await startRelay({ clock, registry: { ttlMs: 60_000 } });
    const c = attach(relay.hint, pki.c, { clock });
    attachments.push(c);
    c.on('stream', (stream) => stream.on('error', () => {}));
    await c.whenAttached();
    let grants = 0;
    c.on('attached', () => (grants += 1));
    for (let step = 1; step <= 5; step += 1) {
      await clock.advance(30_000);
      await until(() => grants === step, `renewal ${step}`);
    }
    assert.equal((await relay.figures()).reservations, 1);
    streams.push(await connect(relay.hint, identityOf(pki.c.cert), pki.b));
    assert.equal((await relay.listener()).links, 1, 'every renewal went over the one link');
  });

  it('C reconnects with backoff on its Clock port while the relay is away: doubling, jittered, capped', async () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const pki = await relayPki();
    const port = await freePort();
    const c = attach({ host: '127.0.0.1', port, tlsPort: port, ca: pki.relay.ca }, pki.c, { clock, reconnect: { minMs: 100, maxMs: 1_000 } });
    attachments.push(c);
    const delays: number[] = [];
    c.on('detached', (_reason, retryInMs) => delays.push(retryInMs));
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      await until(() => delays.length === attempt, `attempt ${attempt}`);
      await clock.advance(delays.at(-1)!);
    }
    const bases = [100, 200, 400, 800, 1_000, 1_000, 1_000];
    delays.slice(0, bases.length).forEach((delay, i) => assert.ok(delay >= bases[i]! * 0.8 && delay <= bases[i]! * 1.2, `attempt ${i + 1}: ${delay} ms`));
  });

  it('a reservation past maxReservations: RESOURCE_LIMIT_EXCEEDED, and the party retries with backoff', async () => {
    const { pki } = await withC({ registry: { maxReservations: 1 } });
    const other = attach(relay!.hint, pki.others[0]!, { reconnect: { minMs: 5_000, maxMs: 5_000 } });
    attachments.push(other);
    const [reason, retryInMs] = await new Promise<[Error, number]>((resolve) => other.once('detached', (...args) => resolve(args)));
    assert.ok(refusal('RESOURCE_LIMIT_EXCEEDED')(reason), String(reason));
    assert.ok(retryInMs >= 4_000);
  });

  it('a reservation off the allow-list: RESERVATION_REFUSED', async () => {
    const pki = await relayPki();
    relay = await startRelay({ registry: { allow: [identityOf(pki.others[0]!.cert)] } });
    assert.deepEqual(await raw({ type: 'RESERVE' }, pki.c), { type: 'STATUS', status: 'RESERVATION_REFUSED' });
  });

  it('a reserve without a client certificate (plain TCP, or TLS without one): PERMISSION_DENIED', async () => {
    relay = await startRelay();
    assert.deepEqual(await raw({ type: 'RESERVE' }, 'tcp'), { type: 'STATUS', status: 'PERMISSION_DENIED' });
    assert.deepEqual(await raw({ type: 'RESERVE' }, 'tls'), { type: 'STATUS', status: 'PERMISSION_DENIED' });
  });

  it('a circuit past circuits per party: RESOURCE_LIMIT_EXCEEDED; once one ends, another opens', async () => {
    const { pki, identity } = await withC({ registry: { maxCircuitsPerParty: 1 } });
    const first = await connect(relay!.hint, identity, pki.b);
    streams.push(first);
    await assert.rejects(connect(relay!.hint, identity, pki.b), refusal('RESOURCE_LIMIT_EXCEEDED'));
    first.destroy();
    await until(async () => (await relay!.figures()).circuits === 0, 'the first circuit ended');
    streams.push(await connect(relay!.hint, identity, pki.b));
  });

  it('a C that never dials back: CONNECTION_FAILED after the accept deadline', async () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const pki = await relayPki();
    relay = await startRelay({ clock, listener: { acceptDeadlineMs: 5_000 } });
    // Reserves by hand and ignores the INCOMING it is sent.
    const link = await dialRelay(realNetwork, relay.hint, true, pki.c);
    streams.push(link);
    link.write(encodeFrame({ type: 'RESERVE' }));
    assert.equal(((await readFrame(link, realClock)) as { status: string }).status, 'OK');
    const incoming = readFrame(link, realClock);
    const refused = assert.rejects(connect(relay.hint, identityOf(pki.c.cert), pki.b), refusal('CONNECTION_FAILED'));
    assert.equal((await incoming).type, 'INCOMING');
    await clock.advance(5_000);
    await refused;
    assert.equal((await relay.figures()).circuits, 0);
  });

  it('a circuit past its bytes is ended on both sides; C got no more than the limit', async () => {
    const { pki, identity, c } = await withC({ registry: { maxCircuitBytes: 256 * 1024 } });
    const atC = new Promise<ReturnType<typeof collect>>((resolve) => c.once('stream', (s) => resolve(collect(s))));
    const stream = await connect(relay!.hint, identity, pki.b);
    assert.equal(stream.grant.maxBytes, 256 * 1024);
    const atB = collect(stream);
    for (let i = 0; i < 16; i += 1) stream.write(Buffer.alloc(64 * 1024, i));
    await atB.ended;
    await (await atC).ended;
    assert.ok((await atC).bytes().length <= 256 * 1024);
    await until(async () => (await relay!.figures()).ended.bytes === 1, 'the relay counted a circuit ended on bytes');
  });

  it('a circuit past its duration is ended on both sides (virtual clock)', async () => {
    const clock = new VirtualClock({ start: 1_000_000 });
    const { pki, identity } = await withC({ clock, registry: { maxCircuitDurationMs: 60_000 } });
    const stream: RelayedStream = await connect(relay!.hint, identity, pki.b);
    const atB = collect(stream);
    await clock.advance(59_999);
    assert.equal(stream.destroyed, false);
    await clock.advance(1);
    await atB.ended;
    await until(async () => (await relay!.figures()).ended.duration === 1, 'the relay counted a circuit ended on duration');
  });

  it('counts every refusal by its code', async () => {
    const { pki } = await withC();
    await assert.rejects(connect(relay!.hint, identityOf(pki.others[1]!.cert), pki.b), refusal('NO_RESERVATION'));
    await raw({ type: 'RESERVE' }, 'tcp');
    await raw({ type: 'ACCEPT', token: '00'.repeat(16) }, 'tcp');
    assert.deepEqual((await relay!.figures()).refusals, { NO_RESERVATION: 1, PERMISSION_DENIED: 1, UNEXPECTED_MESSAGE: 1 });
  });
});
void FrameReader;
