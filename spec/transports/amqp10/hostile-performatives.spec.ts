import assert from 'node:assert/strict';
import tls from 'node:tls';
import { amqp10Links, type HostPort, type LinkListener, type LinkSession } from '../../../internal.ts';
import { bin, bool, conditionsOf, dataMessage, described, FrameReader, list, nul, performative, PERFORMATIVE, PROTOCOL_HEADER, SECTION, str, uint, type ReceivedFrame } from '../../../fuzz/amqp-codec.ts';
import { HostileServer } from '../../../fuzz/amqp-hostile-server.ts';
import { BufferMeter } from '../../../fuzz/buffer-meter.ts';
import { pki, type Pki } from './support/pki.ts';
import { until } from '../../support/fixtures.ts';

const MAX_FRAME = 32 * 1024;
const LIMIT = 128 * 1024;
/** What the receiver advertises: its body limit and 4 KiB for the sections around the body. */
const ADVERTISED = LIMIT + 4 * 1024;
/** The payload of each transfer: a frame of MAX_FRAME less room for the transfer performative. */
const PIECE = MAX_FRAME - 64;

/** One delivery (id 0, on handle 0) split over `count` transfers of PIECE bytes each, the last marked done. */
function multiFrameDelivery(count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, i) => transfer(0, Buffer.alloc(PIECE, 0x61), i + 1 < count)));
}

function transfer(deliveryId: number, payload: Uint8Array, more: boolean, handle = 0): Uint8Array {
  return performative(0, PERFORMATIVE.transfer, [uint(handle), uint(deliveryId), bin(Uint8Array.of(deliveryId)), uint(0), bool(false), bool(more)], payload);
}

/** `bytes` cut into transfer payloads of PIECE bytes. */
function piecesOf(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: Math.ceil(bytes.byteLength / PIECE) }, (_, i) => bytes.subarray(i * PIECE, (i + 1) * PIECE));
}

function disposition(role: boolean, first: number, last: number): Uint8Array {
  return performative(0, PERFORMATIVE.disposition, [bool(role), uint(first), uint(last), bool(true)]);
}

/** A certified peer speaking AMQP by hand: open, begin, a sender attached to `inbox/a`; it records every frame the listener sends. */
class HandPeer {
  readonly frames: ReceivedFrame[] = [];
  closed = false;
  private readonly reader = new FrameReader();

  private constructor(readonly socket: tls.TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.reader.push(chunk)));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number, certs: Pki): Promise<HandPeer> {
    const socket = tls.connect({ host: '127.0.0.1', port, ...(certs.client as tls.ConnectionOptions), checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const peer = new HandPeer(socket);
    const source = described(SECTION.source, list([]));
    const target = described(SECTION.target, list([str('inbox/a')]));
    socket.write(
      Buffer.concat([
        PROTOCOL_HEADER,
        performative(0, PERFORMATIVE.open, [str('hand-peer'), nul(), uint(64 * 1024)]),
        performative(0, PERFORMATIVE.begin, [nul(), uint(0), uint(2_048), uint(2_048)]),
        performative(0, PERFORMATIVE.attach, [str('sender'), uint(0), bool(false), nul(), nul(), source, target, nul(), nul(), uint(0)]),
      ]),
    );
    // The credit, or the refusal where the listener takes no senders.
    await until(() => peer.saw(PERFORMATIVE.flow) || peer.saw(PERFORMATIVE.detach), 'the credit');
    return peer;
  }

  /** Writes in chunks of 16 KiB, each after the listener had a turn to read the last: stops once it answered with `code`. */
  async stream(bytes: Uint8Array, code: number): Promise<number> {
    let written = 0;
    for (let at = 0; at < bytes.byteLength && !this.saw(code) && !this.closed; at += 16 * 1024) {
      const chunk = bytes.subarray(at, at + 16 * 1024);
      await new Promise<void>((resolve) => this.socket.write(chunk, () => resolve()));
      written += chunk.byteLength;
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
    return written;
  }

  /** Attaches one more sender to `inbox/a` on `handle`, and waits for its credit. */
  async attach(handle: number): Promise<void> {
    const flows = this.frames.filter((frame) => frame.code === PERFORMATIVE.flow).length;
    const source = described(SECTION.source, list([]));
    const target = described(SECTION.target, list([str('inbox/a')]));
    this.socket.write(performative(0, PERFORMATIVE.attach, [str(`sender-${handle}`), uint(handle), bool(false), nul(), nul(), source, target, nul(), nul(), uint(0)]));
    await until(() => this.frames.filter((frame) => frame.code === PERFORMATIVE.flow).length > flows, `the credit of link ${handle}`);
  }

  saw(code: number): boolean {
    return this.frames.some((frame) => frame.code === code);
  }

  conditions(code: number): string[] {
    return this.frames.filter((frame) => frame.code === code).flatMap(conditionsOf);
  }
}

describe('Links over AMQP 1.0 against hostile performatives', function () {
  this.timeout(20_000);
  let certs: Pki;
  let listener: LinkListener | undefined;
  const peers: HandPeer[] = [];
  const refusals: { reason: string; condition: string | undefined; peer: string | undefined }[] = [];
  const receiverRefusals: string[] = [];
  const delivered: number[] = [];
  const logged: string[] = [];

  before(async () => {
    certs = await pki();
  });

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.socket.destroy();
    await listener?.close();
    listener = undefined;
    refusals.length = 0;
    receiverRefusals.length = 0;
    delivered.length = 0;
    logged.length = 0;
  });

  async function serve(credit = 5, settle = true): Promise<HandPeer> {
    listener = await amqp10Links.listen(
      {
        host: '127.0.0.1',
        port: 0,
        tls: certs.server,
        maxFrameBytes: MAX_FRAME,
        log: (message: string) => logged.push(message),
        onRefused: (reason: string, _remote: HostPort, refusal: { condition?: string; peer?: string }) => refusals.push({ reason, condition: refusal.condition, peer: refusal.peer }),
      },
      (session) =>
        session.onReceiverOpened(() => ({
          credit,
          maxMessageBytes: LIMIT,
          onDelivery: (delivery) => {
            delivered.push(delivery.bytes.byteLength);
            if (settle) delivery.accept();
          },
          onRefused: (condition: string, description: string) => receiverRefusals.push(`${condition}: ${description}`),
        })),
    );
    const peer = await HandPeer.open(listener.address.port, certs);
    peers.push(peer);
    return peer;
  }

  describe('multi-frame deliveries', () => {
    it('cuts a delivery on the listening side at the transfer that passes the advertised max-message-size, before the next is read', async () => {
      const peer = await serve();
      const delivery = multiFrameDelivery(12);
      const written = await peer.stream(delivery, PERFORMATIVE.detach);
      await until(() => peer.saw(PERFORMATIVE.detach), 'the detach');
      // 4 transfers hold 130,816 bytes, within 135,168; the fifth passes it.
      assert.deepEqual(receiverRefusals, [`amqp:link:message-size-exceeded: a message passed the limit of ${ADVERTISED} bytes at ${5 * PIECE} bytes, before it was whole`]);
      assert.deepEqual(peer.conditions(PERFORMATIVE.detach), ['amqp:link:message-size-exceeded']);
      // The cut is where the refusal says (the fifth transfer, above), whatever the machine's speed.
      // How much more the peer wrote before the detach reached it is the scheduler's business (a
      // busy machine let one more frame out; it sits in the kernel, not in the listener): only
      // that the detach came mid-delivery is asserted.
      assert.ok(written < delivery.byteLength, `${written} of ${delivery.byteLength} bytes written before the detach`);
    });

    it("bounds a connection's unfinished deliveries to twice the limit: the link whose transfer passes it is cut, the others complete", async () => {
      const peer = await serve();
      await peer.attach(1);
      await peer.attach(2);
      // Two deliveries of 120,000 bytes held back before their last piece: 3 × 32,704 = 98,112 bytes each.
      const message = dataMessage(Buffer.alloc(120_000, 0x62));
      const pieces = piecesOf(message);
      const start = (handle: number) => Buffer.concat(pieces.slice(0, -1).map((piece) => transfer(handle, piece, true, handle)));
      const finish = (handle: number) => transfer(handle, pieces.at(-1)!, false, handle);
      await peer.stream(Buffer.concat([start(0), start(1)]), PERFORMATIVE.detach);
      // A third link adds pieces within its own limit: the connection passes 2 × 135,168 at its third.
      peer.socket.write(Buffer.concat(Array.from({ length: 3 }, () => transfer(2, Buffer.alloc(PIECE, 0x61), true, 2))));
      await until(() => peer.saw(PERFORMATIVE.detach), 'the detach');
      assert.deepEqual(receiverRefusals, [`amqp:resource-limit-exceeded: the unfinished deliveries of this connection passed ${2 * ADVERTISED} bytes, ${3 * PIECE} of them on this link`]);
      assert.deepEqual(peer.conditions(PERFORMATIVE.detach), ['amqp:resource-limit-exceeded']);
      // The two held deliveries complete and are delivered whole.
      peer.socket.write(Buffer.concat([finish(0), finish(1)]));
      await until(() => delivered.length === 2, 'the two deliveries');
      assert.deepEqual(delivered, [120_000, 120_000]);
    });

    it('cuts a delivery from a hostile server on the dialling side at the same point', async () => {
      const server = await HostileServer.listen(certs.server, new BufferMeter());
      let session: LinkSession | undefined;
      try {
        const outcome = server.next({ bytes: multiFrameDelivery(12), desync: false, cap: 0 });
        session = await amqp10Links.connect({ host: '127.0.0.1', port: server.port, tls: certs.client, expectedName: 'float-a', maxFrameBytes: MAX_FRAME });
        const refused: string[] = [];
        void session
          .openReceiver('inbox/a', { credit: 5, maxMessageBytes: LIMIT, onDelivery: (delivery) => delivery.accept(), onRefused: (condition, description) => refused.push(`${condition}: ${description}`) })
          .catch(() => undefined);
        const said = await outcome;
        assert.deepEqual(said, { answer: 'closed', conditions: ['amqp:link:message-size-exceeded'] });
        assert.deepEqual(refused, [`amqp:link:message-size-exceeded: a message passed the limit of ${ADVERTISED} bytes at ${5 * PIECE} bytes, before it was whole`]);
      } finally {
        await session?.close();
        await server.close();
      }
    });
  });

  describe('dispositions', () => {
    for (const role of [true, false]) {
      it(`closes the connection amqp:invalid-field for a disposition (role ${role}) whose range is wider than a session holds, before rhea walks it`, async () => {
        const peer = await serve();
        const started = performance.now();
        // 2^26 ids: rhea walks them one by one (about a second; 2^32 takes hours).
        peer.socket.write(disposition(role, 0, 2 ** 26 - 1));
        await until(() => peer.closed, 'the connection to close');
        assert.ok(performance.now() - started < 500, `${Math.round(performance.now() - started)} ms`);
        const reason = `a disposition of ${2 ** 26} deliveries (0..${2 ** 26 - 1}), more than the 2048 a session holds`;
        assert.deepEqual(peer.conditions(PERFORMATIVE.close), ['amqp:invalid-field']);
        assert.ok(peer.frames.find((frame) => frame.code === PERFORMATIVE.close)!.body.toString('latin1').includes(reason));
        await until(() => refusals.length === 1, 'the audit');
        assert.deepEqual(refusals, [{ reason, condition: 'framing', peer: 'node-b' }]);
        assert.deepEqual(logged, []);
      });
    }

    it('takes a disposition within the session\'s bound that names deliveries it never had, and serves on', async () => {
      const peer = await serve();
      peer.socket.write(Buffer.concat([disposition(false, 0, 2_047), disposition(true, 5, 9), transfer(0, dataMessage(Buffer.from('after')), false)]));
      await until(() => peer.saw(PERFORMATIVE.disposition), 'the delivery settled');
      assert.equal(peer.closed, false);
      assert.deepEqual(refusals, []);
    });

    it('does not settle a delivery still waiting for credit: a peer cannot accept what it was never sent', async () => {
      const outcomes: string[] = [];
      listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: certs.server, log: (message: string) => logged.push(message) }, (session) =>
        session.onSenderOpened(() => ({ onOpen: (sender) => void sender.send(Buffer.from('queued')).then((settlement) => outcomes.push(settlement.outcome), (error: Error) => outcomes.push(error.message)) })),
      );
      const peer = await HandPeer.open(listener.address.port, certs);
      peers.push(peer);
      const written: string[] = [];
      const original = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        const source = described(SECTION.source, list([str('outbox/a')]));
        peer.socket.write(performative(0, PERFORMATIVE.attach, [str('receiver'), uint(1), bool(true), nul(), nul(), source, described(SECTION.target, list([])), nul(), nul(), nul()]));
        await until(() => peer.frames.filter((frame) => frame.code === PERFORMATIVE.attach).length === 2, "the listener's sender");
        // Delivery 0 waits for credit; the peer settles it as accepted all the same.
        const accepted = described(0x24, list([]));
        peer.socket.write(performative(0, PERFORMATIVE.disposition, [bool(true), uint(0), uint(0), bool(true), accepted]));
        for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(outcomes, []);
        assert.equal(peer.saw(PERFORMATIVE.transfer), false);
        // Credit: now it is sent, and the peer's disposition settles it.
        peer.socket.write(performative(0, PERFORMATIVE.flow, [uint(0), uint(2_048), uint(0), uint(2_048), uint(1), uint(0), uint(1)]));
        await until(() => peer.saw(PERFORMATIVE.transfer), 'the transfer');
        peer.socket.write(performative(0, PERFORMATIVE.disposition, [bool(true), uint(0), uint(0), bool(true), accepted]));
        await until(() => outcomes.length === 1, 'the outcome');
      } finally {
        process.stderr.write = original;
      }
      assert.deepEqual(outcomes, ['accepted']);
      assert.deepEqual(written, []);
      assert.equal(peer.closed, false);
    });

    it('closes the dialling side\'s connection amqp:invalid-field when a hostile server sends a range wider than a session holds', async () => {
      const server = await HostileServer.listen(certs.server, new BufferMeter());
      let session: LinkSession | undefined;
      try {
        const outcome = server.next({ bytes: disposition(true, 0, 2 ** 26 - 1), desync: false, cap: 0 });
        session = await amqp10Links.connect({ host: '127.0.0.1', port: server.port, tls: certs.client, expectedName: 'float-a' });
        void session.openReceiver('inbox/a', { credit: 5, onDelivery: (delivery) => delivery.accept() }).catch(() => undefined);
        assert.deepEqual(await outcome, { answer: 'closed', conditions: ['amqp:invalid-field'] });
        assert.equal(await session.closed, `cut by this side: a disposition of ${2 ** 26} deliveries (0..${2 ** 26 - 1}), more than the 2048 a session holds`);
      } finally {
        await server.close();
      }
    });
  });

  describe('opens', () => {
    it('closes a connection whose open asks for an idle-time-out under 1 s (rhea would send a frame every half of it), audited', async () => {
      await serve();
      const socket = tls.connect({ host: '127.0.0.1', port: listener!.address.port, ...(certs.client as tls.ConnectionOptions), checkServerIdentity: () => undefined });
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      const peer = { frames: [] as ReceivedFrame[], closed: false };
      const reader = new FrameReader();
      socket.on('data', (chunk: Buffer) => peer.frames.push(...reader.push(chunk)));
      socket.on('close', () => (peer.closed = true));
      socket.on('error', () => undefined);
      try {
        // open: container-id, hostname, max-frame-size, channel-max, idle-time-out of 2 ms.
        socket.write(Buffer.concat([PROTOCOL_HEADER, performative(0, PERFORMATIVE.open, [str('hasty'), nul(), uint(64 * 1024), nul(), uint(2)])]));
        await until(() => peer.closed, 'the connection to close');
        const reason = 'an idle-time-out of 2 ms, under the 1000 ms this side keeps up';
        assert.deepEqual(peer.frames.map((frame) => frame.code), [undefined, PERFORMATIVE.open, PERFORMATIVE.close]);
        assert.deepEqual(conditionsOf(peer.frames[2]), ['amqp:invalid-field']);
        assert.ok(peer.frames[2].body.toString('latin1').includes(reason));
        await until(() => refusals.length === 1, 'the audit');
        assert.deepEqual(refusals, [{ reason, condition: 'framing', peer: 'node-b' }]);
      } finally {
        socket.destroy();
      }
    });
  });

  describe('what rhea would loop over or print', () => {
    it('refuses an AMQP array announcing more elements than bytes left (2^22 nulls in 10 bytes) without decoding it', async () => {
      const peer = await serve();
      const started = performance.now();
      // An amqp-value section holding array32 of 4,194,304 nulls: element constructor 0x40, no element bytes.
      const body = Buffer.concat([Uint8Array.of(0x00, 0x53, SECTION.amqpValue), Uint8Array.of(0xf0, 0, 0, 0, 5, 0, 0x40, 0, 0, 0x40)]);
      peer.socket.write(transfer(0, body, false));
      await until(() => peer.closed, 'the connection to close');
      assert.ok(performance.now() - started < 500, `${Math.round(performance.now() - started)} ms`);
      assert.deepEqual(logged, ['AMQP protocol error: an array announcing 4194304 elements in 1 bytes']);
    });

    it('routes rhea\'s console lines for a transfer over credit and unknown message sections to the log, bounded, and prints nothing', async () => {
      const peer = await serve(1, false);
      const written: string[] = [];
      const original = { stderr: process.stderr.write.bind(process.stderr), stdout: process.stdout.write.bind(process.stdout) };
      const capture = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      process.stderr.write = capture;
      process.stdout.write = capture;
      try {
        const unknownSection = Buffer.concat([Uint8Array.of(0x00, 0x53, 0x99), str('x'.repeat(10_000)), dataMessage(Buffer.from('a'))]);
        const notDescribed = Buffer.concat([str('y'.repeat(10_000)), dataMessage(Buffer.from('b'))]);
        // Credit 1, and the first delivery is held unsettled: the second is over it.
        peer.socket.write(Buffer.concat([transfer(0, unknownSection, false), transfer(1, notDescribed, false)]));
        await until(() => peer.saw(PERFORMATIVE.detach), 'the detach over credit');
      } finally {
        process.stderr.write = original.stderr;
        process.stdout.write = original.stdout;
      }
      assert.deepEqual(written, []);
      assert.deepEqual(peer.conditions(PERFORMATIVE.detach), ['amqp:link:transfer-limit-exceeded']);
      assert.equal(logged.length, 2, logged.join('\n'));
      assert.match(logged[0], /^rhea: WARNING: did not recognise message section with descriptor/);
      assert.match(logged[1], /^rhea: WARNING: expected described message section got "yyyy/);
      for (const line of logged) assert.ok(line.length <= 210, `a log line of ${line.length} characters`);
    });

    it('routes rhea\'s warning for an attach with a source of an unknown descriptor to the log', async () => {
      const peer = await serve();
      const written: string[] = [];
      const original = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        const odd = described(0xd7, list([str('x'.repeat(1_000))]));
        peer.socket.write(performative(0, PERFORMATIVE.attach, [str('odd'), uint(3), bool(false), nul(), nul(), odd, described(SECTION.target, list([str('inbox/b')])), nul(), nul(), uint(0)]));
        await until(() => peer.frames.filter((frame) => frame.code === PERFORMATIVE.attach).length === 2, 'the attach answered');
      } finally {
        process.stderr.write = original;
      }
      assert.deepEqual(written, []);
      assert.deepEqual(logged, ['rhea: Unknown terminus: 215']);
    });
  });
});
