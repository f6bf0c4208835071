import assert from 'node:assert/strict';
import net from 'node:net';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { until } from '../../../testing/index.ts';
import { seededRandom } from '../../../lib/ports/random.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
import type { Network } from '../../../lib/ports/network.ts';
import { attach, CircuitProtocol, connect, identityOf, RelayRefusedError, type Attachment, type RelayedStream } from '../../../actors/relay/index.ts';
import { encodeFrame, FrameReader } from '../../../actors/relay/wire/index.ts';
import { relayPki, startRelay, type StartedRelay } from './support.ts';

/** A raw TCP connection from `source` (Linux routes all of 127/8 to lo), recording what the relay sent and when it closed. */
class Raw {
  readonly socket: net.Socket;
  readonly received: Buffer[] = [];
  closed = false;
  readonly connected: Promise<void>;
  constructor(port: number, source = '127.0.0.1') {
    this.socket = net.connect({ port, host: '127.0.0.1', localAddress: source });
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => this.received.push(chunk));
    this.socket.once('close', () => (this.closed = true));
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }
  frames() {
    return new FrameReader().push(Buffer.concat(this.received));
  }
}

/** The Network port, dialling from a given loopback address. */
function fromSource(localAddress: string): Network {
  return {
    ...realNetwork,
    dial: (to) =>
      new Promise((resolve, reject) => {
        const socket = net.connect({ port: to.port, host: to.host, localAddress });
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve({ stream: socket, remote: to });
        });
      }),
  };
}

describe('relay under hostile input (real sockets, virtual clock)', function () {
  this.timeout(30_000);
  let relay: StartedRelay;
  let clock: VirtualClock;
  const raws: Raw[] = [];
  const attachments: Attachment[] = [];
  const streams: RelayedStream[] = [];
  afterEach(async () => {
    for (const r of raws.splice(0)) r.socket.destroy();
    for (const a of attachments.splice(0)) a.close();
    for (const s of streams.splice(0)) s.destroy();
    await relay?.stop();
  });
  const raw = async (port: number, source?: string) => {
    const r = new Raw(port, source);
    raws.push(r);
    await r.connected;
    return r;
  };

  it('half handshakes (a partial frame on TCP, nothing at all on the TLS port) are closed at the deadline', async () => {
    clock = new VirtualClock({ start: 1_000_000 });
    relay = await startRelay({ clock, listener: { handshakeDeadlineMs: 10_000 } });
    const partial = await raw(relay.hint.port!);
    partial.socket.write(Buffer.from('0102', 'hex'));
    const silent = await raw(relay.hint.tlsPort!);
    await until(async () => (await relay.listener()).handshaking === 2, 'both handshakes are held');
    await clock.advance(9_999);
    assert.equal(partial.closed || silent.closed, false);
    await clock.advance(1);
    await until(() => partial.closed && silent.closed, 'both closed at the deadline');
    await until(async () => (await relay.listener()).connections === 0, 'the relay holds nothing');
  });

  it('handshakes in flight are bounded: past the bound a connection is closed at once, and the slots free at the deadline', async () => {
    clock = new VirtualClock({ start: 1_000_000 });
    relay = await startRelay({ clock, listener: { maxPendingHandshakes: 8 } });
    for (let n = 0; n < 8; n += 1) await raw(relay.hint.port!, `127.0.0.${n + 2}`);
    await until(async () => (await relay.listener()).handshaking === 8, '8 handshakes held');
    const ninth = await raw(relay.hint.port!, '127.0.0.20');
    await until(() => ninth.closed, 'the ninth closed at once');
    await clock.advance(10_000);
    await until(async () => (await relay.listener()).handshaking === 0, 'the slots are free');
    const later = await raw(relay.hint.port!, '127.0.0.21');
    later.socket.write(encodeFrame({ type: 'CONNECT', identity: 'ab'.repeat(32) }));
    await until(() => later.closed, 'answered and closed');
    assert.deepEqual(later.frames(), [{ type: 'STATUS', status: 'NO_RESERVATION' }]);
  });

  // Oversized and malformed fields: answered MALFORMED_MESSAGE on the header, nothing buffered.
  const hostile: [string, Buffer][] = [
    ['a length of 65,535 followed by 1 MiB', Buffer.concat([Buffer.from('0102ffff', 'hex'), Buffer.alloc(1024 * 1024, 0x41)])],
    ['a length of 257', Buffer.concat([Buffer.from('01020101', 'hex'), Buffer.alloc(257)])],
    ['version 2', Buffer.from('02020020', 'hex')],
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: relay\r\n\r\n')],
    ['a TLS ClientHello on the TCP port', Buffer.from('160301020001', 'hex')],
    ['an identity of 31 bytes', Buffer.concat([Buffer.from('0102001f', 'hex'), Buffer.alloc(31)])],
  ];
  for (const [what, bytes] of hostile) {
    it(`${what}: MALFORMED_MESSAGE, closed`, async () => {
      relay = await startRelay();
      const r = await raw(relay.hint.port!);
      r.socket.write(bytes);
      await until(() => r.closed, 'closed');
      assert.deepEqual(r.frames(), [{ type: 'STATUS', status: 'MALFORMED_MESSAGE' }]);
      assert.equal((await relay.figures()).refusals.MALFORMED_MESSAGE, 1);
    });
  }

  it('200 seeded random byte strings, each on its own connection: every one answered with a typed STATUS or held to the deadline; the listener never fails', async () => {
    clock = new VirtualClock({ start: 1_000_000 });
    relay = await startRelay({ clock, listener: { maxPendingHandshakes: 1_000, maxConnectionsPerSource: 1_000 } });
    let failures = 0;
    relay.running.system.events.subscribe((event) => void (event.kind === 'failed' && (failures += 1)));
    const random = seededRandom(7);
    const sent: Raw[] = [];
    for (let i = 0; i < 200; i += 1) {
      const r = await raw(relay.hint.port!);
      const head = random.next() < 0.5 ? Buffer.from([1, random.int(256)]) : Buffer.alloc(0);
      r.socket.write(Buffer.concat([head, Buffer.from(Array.from({ length: random.int(400) }, () => random.int(256)))]));
      sent.push(r);
    }
    await clock.advance(10_000);
    await until(() => sent.every((r) => r.closed), () => `${sent.filter((r) => !r.closed).length} still open`);
    for (const r of sent) {
      const frames = r.frames();
      assert.ok(frames.length <= 1 && frames.every((f) => f.type === 'STATUS' && f.status !== 'OK'), JSON.stringify(frames));
    }
    assert.equal(failures, 0);
    assert.equal((await relay.listener()).connections, 0);
  });

  it('a connection flood from one source takes its own share only: another source is still served', async () => {
    relay = await startRelay({ listener: { maxConnectionsPerSource: 10 } });
    const flood = await Promise.all(Array.from({ length: 30 }, () => raw(relay.hint.port!, '127.0.0.9')));
    await until(() => flood.filter((r) => r.closed).length === 20, () => `20 of the flood closed (${flood.filter((r) => r.closed).length})`);
    assert.equal((await relay.listener()).connections, 10);
    const pki = await relayPki();
    await assert.rejects(connect(relay.hint, identityOf(pki.c.cert), pki.b), (error: unknown) => error instanceof RelayRefusedError && error.code === 'NO_RESERVATION');
  });

  it('a reserve flood from one source holds at most its reservations per source; other sources still reserve', async () => {
    relay = await startRelay({ registry: { maxReservationsPerSource: 4 } });
    const pki = await relayPki();
    const parties = [pki.c, pki.b, pki.impostor, pki.others[0]!, pki.others[1]!];
    const outcomes = await Promise.all(
      parties.map((party) => {
        const a = attach(relay.hint, party, { reconnect: { minMs: 60_000, maxMs: 60_000 } });
        attachments.push(a);
        return new Promise<string>((resolve) => {
          a.once('attached', () => resolve('OK'));
          a.once('detached', (reason) => resolve((reason as { code?: string }).code ?? reason.message));
        });
      }),
    );
    assert.deepEqual(outcomes.filter((o) => o === 'OK').length, 4, outcomes.join());
    assert.deepEqual(outcomes.filter((o) => o === 'RESOURCE_LIMIT_EXCEEDED').length, 1, outcomes.join());
    assert.equal((await relay.figures()).reservations, 4);
    // A party on another source (its own address) still reserves.
    const elsewhere = attach(relay.hint, pki.others[2]!, { network: fromSource('127.0.0.7') });
    attachments.push(elsewhere);
    await elsewhere.whenAttached();
    assert.equal((await relay.figures()).reservations, 5);
  });

  it('a slow reader B that never reads does not make the relay buffer: C is held back instead', async () => {
    relay = await startRelay();
    const pki = await relayPki();
    const c = attach(relay.hint, pki.c);
    attachments.push(c);
    await c.whenAttached();
    const atC = new Promise<RelayedStream>((resolve) => c.once('stream', resolve));
    const b = await connect(relay.hint, identityOf(pki.c.cert), pki.b);
    streams.push(b);
    b.pause(); // B never reads
    const server = await atC;
    streams.push(server);
    const chunk = Buffer.alloc(1024 * 1024, 0x42);
    let written = 0;
    for (; written < 64; written += 1) {
      if (server.write(chunk)) continue;
      const drained = await Promise.race([new Promise((resolve) => server.once('drain', () => resolve(true))), new Promise((resolve) => setTimeout(() => resolve(false), 500))]);
      if (!drained) break;
    }
    assert.ok(written < 64, `C wrote all ${written} MiB: nothing held it back`);
    const [circuit] = relay.running.supervisor('relay/circuits').whichChildren();
    const status = await relay.running.ref(circuit!.address, CircuitProtocol).ask('status', {});
    assert.ok(status.buffered < 1024 * 1024, `the relay holds ${status.buffered} bytes for the circuit`);
    assert.ok(status.toB < 48 * 1024 * 1024, `the relay forwarded ${status.toB} bytes to a reader that reads nothing`);
  });
});
