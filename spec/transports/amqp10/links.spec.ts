import assert from 'node:assert/strict';
import tls from 'node:tls';
import rhea from 'rhea';
import {
  LinkConnectError,
  LinkLostError,
  LinkRefusedError,
  PeerIdentityError,
  type LinkDelivery,
  type LinkListener,
  type LinkSession,
  type ReceiverDecision,
  type TlsMaterial,
} from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { pki, type Pki } from './support/pki.ts';
import { startSocks5 } from './support/socks5-server.ts';
import { until } from '../../support/fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));


describe('Links over AMQP 1.0 and mutual TLS (rhea)', function () {
  this.timeout(10_000);
  let certs: Pki;
  let listener: LinkListener | undefined;
  const sessions: LinkSession[] = [];
  const refusals: string[] = [];
  const serverSessions: LinkSession[] = [];

  before(async () => {
    certs = await pki();
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await listener?.close();
    listener = undefined;
    refusals.length = 0;
    serverSessions.length = 0;
  });

  /** A server whose sessions accept senders to `inbox/*` with `decide`, refusing everything else. */
  async function serve(decide: (address: string) => ReceiverDecision, tls: TlsMaterial = certs.server): Promise<LinkListener> {
    listener = await amqp10Links.listen(
      { host: '127.0.0.1', port: 0, tls, onRefused: (reason) => refusals.push(reason) },
      (session) => {
        serverSessions.push(session);
        session.onReceiverOpened(({ address }) => decide(address));
      },
    );
    return listener;
  }

  async function connect(tls: TlsMaterial = certs.client, expectedName = 'float-a', socks?: { host: string; port: number }): Promise<LinkSession> {
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: listener!.address.port, tls, expectedName, socks });
    sessions.push(session);
    return session;
  }

  it('resolves a send only after the receiver accepts the delivery', async () => {
    const events: string[] = [];
    const held: LinkDelivery[] = [];
    await serve(() => ({ credit: 10, onDelivery: (delivery) => (events.push(`received ${text(delivery.bytes)}`), held.push(delivery)) }));
    const sender = await (await connect()).openSender('inbox/a');
    const sent = sender.send(bytes('hello'), { messageId: 'm-1', properties: { peer: 'node-b' } }).then((settlement) => {
      events.push(`settled ${settlement.messageId} ${settlement.outcome}`);
    });
    await until(() => held.length === 1, 'the delivery');
    await tick(50);
    events.push('accepting');
    assert.equal(held[0].messageId, 'm-1');
    assert.deepEqual(held[0].properties, { peer: 'node-b' });
    held[0].accept();
    await sent;
    assert.deepEqual(events, ['received hello', 'accepting', 'settled m-1 accepted']);
  });

  it('bounds unsettled deliveries by the credit granted, and grants more as they settle', async () => {
    const held: LinkDelivery[] = [];
    await serve(() => ({ credit: 2, onDelivery: (delivery) => held.push(delivery) }));
    const sender = await (await connect()).openSender('inbox/a');
    const settled: string[] = [];
    const sends = [1, 2, 3, 4, 5].map((n) => sender.send(bytes(`m${n}`)).then(() => settled.push(`m${n}`)));
    await until(() => held.length === 2, 'two deliveries');
    await tick(100);
    assert.deepEqual(held.map((delivery) => text(delivery.bytes)), ['m1', 'm2']);
    held[0].accept();
    await until(() => held.length === 3, 'a third delivery');
    await tick(100);
    assert.equal(held.length, 3);
    for (const delivery of held.slice(1)) delivery.accept();
    await until(() => held.length === 5, 'all deliveries');
    for (const delivery of held.slice(3)) delivery.accept();
    await Promise.all(sends);
    assert.deepEqual(held.map((delivery) => text(delivery.bytes)), ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.deepEqual(settled, ['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('settles a delivery once: a second accept, a reject or a release after it change nothing, and its credit returns once', async () => {
    const held: LinkDelivery[] = [];
    await serve(() => ({ credit: 1, onDelivery: (delivery) => held.push(delivery) }));
    const sender = await (await connect()).openSender('inbox/a');
    const outcomes: string[] = [];
    const sends = ['m1', 'm2', 'm3'].map((body) => sender.send(bytes(body)).then(() => outcomes.push(`${body} accepted`), (error: Error) => outcomes.push(`${body} ${error.name}`)));
    await until(() => held.length === 1, 'the first delivery');
    held[0].accept();
    held[0].accept();
    held[0].reject('amqp:internal-error', 'too late');
    held[0].release();
    await until(() => held.length === 2, 'the second delivery');
    await tick(100);
    assert.equal(held.length, 2, 'one settlement gave back one credit, not four');
    held[1].accept();
    await until(() => held.length === 3, 'the third delivery');
    held[2].accept();
    await Promise.all(sends);
    assert.deepEqual(outcomes, ['m1 accepted', 'm2 accepted', 'm3 accepted']);
  });

  it('carries several links on one TLS connection, and shows each side the other verified identity', async () => {
    const got: string[] = [];
    await serve((address) => ({ credit: 5, onDelivery: (delivery) => (got.push(`${address} ${text(delivery.bytes)}`), delivery.accept()) }));
    const session = await connect();
    const [a, b, c] = await Promise.all(['inbox/a', 'inbox/b', 'inbox/c'].map((address) => session.openSender(address)));
    await Promise.all([a.send(bytes('1')), b.send(bytes('2')), c.send(bytes('3'))]);
    assert.deepEqual(got.sort(), ['inbox/a 1', 'inbox/b 2', 'inbox/c 3']);
    assert.equal(listener!.sessions, 1);
    assert.equal(session.peer.commonName, 'float-a');
    assert.ok(session.peer.altNames.includes('DNS:float-a'));
    assert.ok(session.peer.altNames.includes('URI:urn:airlock:float-a'));
    assert.match(session.peer.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(serverSessions[0].peer.commonName, 'node-b');
  });

  it('refuses a link the server does not accept, with its AMQP condition', async () => {
    await serve((address) =>
      address.startsWith('inbox/')
        ? { credit: 1, onDelivery: (delivery) => delivery.accept() }
        : { refuse: { condition: 'amqp:unauthorized-access', description: `'${address}' is not an inbox` } },
    );
    const session = await connect();
    const refused = await session.openSender('control/restart').then(
      () => assert.fail('the link opened'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof LinkRefusedError);
    assert.equal(refused.code, 'LINK_REFUSED');
    assert.equal(refused.condition, 'amqp:unauthorized-access');
    assert.equal(refused.description, "'control/restart' is not an inbox");
    const sender = await session.openSender('inbox/a');
    assert.equal((await sender.send(bytes('still up'))).outcome, 'accepted');
  });

  it('refuses a client without a certificate before any session, and says why', async () => {
    await serve(() => ({ credit: 1, onDelivery: (delivery) => delivery.accept() }));
    // Any TLS client may try: this one trusts the server but presents no certificate.
    const bare = tls.connect({ host: '127.0.0.1', port: listener!.address.port, ca: certs.ca.certPem, checkServerIdentity: () => undefined });
    bare.on('error', () => undefined);
    bare.on('secureConnect', () => bare.write(Buffer.from('AMQP\x00\x01\x00\x00', 'latin1')));
    const received: Buffer[] = [];
    bare.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => bare.once('close', resolve));
    assert.deepEqual(received, []);
    await until(() => refusals.length === 1, 'the refusal');
    assert.match(refusals[0], /certificate/i);
    assert.equal(listener!.sessions, 0);
  });

  it('refuses a client whose certificate comes from another CA', async () => {
    await serve(() => ({ credit: 1, onDelivery: (delivery) => delivery.accept() }));
    const error = await connect(certs.foreign).then(() => assert.fail('connected'), (caught: unknown) => caught);
    assert.ok(error instanceof LinkConnectError);
    await until(() => refusals.length === 1, 'the refusal');
    assert.match(refusals[0], /certificate/i);
    assert.equal(listener!.sessions, 0);
  });

  it('fails the connect with PeerIdentityError when the server is not the expected name', async () => {
    await serve(() => ({ credit: 1, onDelivery: (delivery) => delivery.accept() }));
    const error = await connect(certs.client, 'float-z').then(() => assert.fail('connected'), (caught: unknown) => caught);
    assert.ok(error instanceof PeerIdentityError);
    assert.equal(error.code, 'PEER_IDENTITY');
    assert.equal(error.expected, 'float-z');
    assert.deepEqual(error.presented, ['float-a', 'urn:airlock:float-a', '127.0.0.1', 'float-a']);
  });

  it('refuses a message over the receiver\'s size limit with amqp:link:message-size-exceeded', async () => {
    const got: string[] = [];
    await serve(() => ({ credit: 5, maxMessageBytes: 1024, onDelivery: (delivery) => (got.push(text(delivery.bytes)), delivery.accept()) }));
    const sender = await (await connect()).openSender('inbox/a');
    const error = await sender.send(new Uint8Array(1025)).then(() => assert.fail('sent'), (caught: unknown) => caught);
    assert.ok(error instanceof LinkRefusedError);
    assert.equal(error.condition, 'amqp:link:message-size-exceeded');
    assert.equal(error.description, 'message of 1025 bytes exceeds the limit of 1024 bytes');
    await sender.send(bytes('small'));
    assert.deepEqual(got, ['small']);
  });

  it('dials through a SOCKS5 proxy', async () => {
    const proxy = await startSocks5();
    try {
      await serve(() => ({ credit: 1, onDelivery: (delivery) => delivery.accept() }));
      const session = await connect(certs.client, 'float-a', { host: '127.0.0.1', port: proxy.port });
      const sender = await session.openSender('inbox/a');
      assert.equal((await sender.send(bytes('via socks'))).outcome, 'accepted');
      assert.deepEqual(proxy.tunnels, [`127.0.0.1:${listener!.address.port}`]);
    } finally {
      await proxy.close();
    }
  });

  it('rejects unsettled sends with LinkLostError when the connection is cut mid-stream', async () => {
    const proxy = await startSocks5();
    const held: LinkDelivery[] = [];
    await serve(() => ({ credit: 10, onDelivery: (delivery) => held.push(delivery) }));
    const session = await connect(certs.client, 'float-a', { host: '127.0.0.1', port: proxy.port });
    const sender = await session.openSender('inbox/a');
    const outcomes = [1, 2, 3].map((n) => sender.send(bytes(`m${n}`)).then(() => 'settled', (error: unknown) => error));
    await until(() => held.length === 3, 'three deliveries');
    await proxy.close(); // destroys both sockets of the tunnel
    for (const outcome of await Promise.all(outcomes)) {
      assert.ok(outcome instanceof LinkLostError, String(outcome));
      assert.equal(outcome.code, 'LINK_LOST');
      assert.equal(outcome.address, 'inbox/a');
    }
    assert.equal(typeof (await session.closed), 'string');
    const late = await sender.send(bytes('after')).then(() => 'sent', (error: unknown) => error);
    assert.ok(late instanceof LinkLostError);
  });

  it('lets a plain rhea client (any AMQP 1.0 peer) send to an accepted receiver, and refuses its oversized message', async () => {
    const got: { body: string; id: string | undefined }[] = [];
    await serve(() => ({ credit: 5, maxMessageBytes: 64, onDelivery: (delivery) => (got.push({ body: text(delivery.bytes), id: delivery.messageId }), delivery.accept()) }));
    const container = rhea.create_container();
    const connection = container.connect({
      transport: 'tls', host: '127.0.0.1', port: listener!.address.port, reconnect: false,
      key: certs.client.key as string, cert: certs.client.cert as string, ca: certs.client.ca as string, servername: 'float-a',
      checkServerIdentity: () => undefined,
    });
    try {
      const sender = connection.open_sender('inbox/any');
      const outcomes: string[] = [];
      sender.on('accepted', () => outcomes.push('accepted'));
      sender.on('rejected', (context) => outcomes.push(`rejected ${(context.delivery!.remote_state as { error?: { condition?: string } }).error?.condition}`));
      await new Promise((resolve) => sender.once('sendable', resolve));
      sender.send({ message_id: 'plain-1', body: rhea.message.data_section(Buffer.from('from another client')) });
      sender.send({ body: rhea.message.data_section(Buffer.alloc(100)) });
      await until(() => outcomes.length === 2, 'both outcomes');
      assert.deepEqual(outcomes, ['accepted', 'rejected amqp:link:message-size-exceeded']);
      assert.deepEqual(got, [{ body: 'from another client', id: 'plain-1' }]);
    } finally {
      connection.close();
    }
  });

  it('offers 256 KiB frames, so a 64 KiB message from any AMQP 1.0 client crosses whole in one transfer', async () => {
    const got: Uint8Array[] = [];
    await serve(() => ({ credit: 5, onDelivery: (delivery) => (got.push(delivery.bytes), delivery.accept()) }));
    const connection = rhea.create_container().connect({
      transport: 'tls', host: '127.0.0.1', port: listener!.address.port, reconnect: false, max_frame_size: 1 << 20,
      key: certs.client.key as string, cert: certs.client.cert as string, ca: certs.client.ca as string, servername: 'float-a',
      checkServerIdentity: () => undefined,
    });
    try {
      const sender = connection.open_sender('inbox/any');
      await new Promise((resolve) => sender.once('sendable', resolve));
      assert.equal((connection as unknown as { remote: { open: { max_frame_size: number } } }).remote.open.max_frame_size, 256 * 1024);
      const body = Buffer.alloc(64 * 1024, 7);
      const accepted = new Promise((resolve) => sender.once('accepted', resolve));
      sender.send({ body: rhea.message.data_section(body) });
      await accepted;
      assert.equal(got.length, 1);
      assert.ok(Buffer.from(got[0]).equals(body));
    } finally {
      const closed = new Promise((resolve) => connection.once('connection_close', resolve));
      connection.close();
      await closed;
    }
  });

  it('forgets each link the peer opens and detaches, so a long-lived session does not grow with its links', async () => {
    const opened: string[] = [];
    listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: certs.server }, (session) => {
      serverSessions.push(session);
      session.onSenderOpened(({ address }) => ({ onOpen: () => opened.push(address) }));
    });
    const client = await connect();
    for (let i = 0; i < 20; i++) {
      const receiver = await client.openReceiver(`outbox/${i}`, { credit: 1, onDelivery: () => undefined });
      await receiver.close();
    }
    await until(() => opened.length === 20, 'the 20 links');
    const held = (serverSessions[0] as unknown as { senders: Set<unknown> }).senders;
    await until(() => held.size === 0, 'the server to forget the detached links');
    assert.equal(held.size, 0);
  });

  it('cuts an authenticated peer whose frame announces more than the frame limit, before buffering it', async () => {
    await serve(() => ({ credit: 10, onDelivery: (delivery) => delivery.accept() }));
    const socket = tls.connect({ host: '127.0.0.1', port: listener!.address.port, ...(certs.client as tls.ConnectionOptions), checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // The AMQP 1.0 protocol header, then a frame header announcing 100 MB, then a first 16 KiB of it.
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(100 * 1024 * 1024, 0);
    huge.writeUInt8(2, 4);
    socket.write(Buffer.concat([Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'), huge, Buffer.alloc(16 * 1024)]));
    const started = Date.now();
    await closed;
    // The open deadline would end it at 10 s; the guard cuts it in milliseconds, under a few seconds on a busy machine.
    assert.ok(Date.now() - started < 8_000, 'the connection was cut by the guard, not by the open deadline');
    assert.deepEqual(refusals, [`a frame of ${100 * 1024 * 1024} bytes announced, over the ${256 * 1024}-byte limit`]);
  });
});
