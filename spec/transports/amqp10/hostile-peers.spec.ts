import assert from 'node:assert/strict';
import tls from 'node:tls';
import rhea from 'rhea';
import {
  LinkConnectError,
  LinkRefusedError,
  VirtualClock,
  type HostPort,
  type LinkListener,
  type LinkListenOptions,
  type LinkSession,
} from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { AMQP_HEADER, bufferedBytes, closedOf, frame, frames, rawTlsClient, socketOf } from './support/hostile.ts';
import { pki, type Pki } from './support/pki.ts';
import { until } from '../../support/fixtures.ts';

const MAX_FRAME = 256 * 1024;
/** 4 MiB of frames that look well formed one by one: what a hostile peer streams after a forged header. */
const STREAM = frames(64, 64 * 1024);

interface Refused {
  reason: string;
  remote: HostPort;
  condition: string | undefined;
  peer: string | undefined;
}

describe('Links over AMQP 1.0 against hostile peers', function () {
  // Real TLS handshakes on loopback take milliseconds; 20 s covers a busy 2-core machine many times over.
  this.timeout(20_000);
  let certs: Pki;
  let listener: LinkListener | undefined;
  const refusals: Refused[] = [];
  const serverSessions: LinkSession[] = [];
  const clientSessions: LinkSession[] = [];
  const sockets: tls.TLSSocket[] = [];
  const logged: string[] = [];

  before(async () => {
    certs = await pki();
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const session of clientSessions.splice(0)) await session.close();
    await listener?.close();
    listener = undefined;
    refusals.length = 0;
    serverSessions.length = 0;
    logged.length = 0;
  });

  async function serve(options: Partial<LinkListenOptions> = {}): Promise<LinkListener> {
    listener = await amqp10Links.listen(
      {
        host: '127.0.0.1',
        port: 0,
        tls: certs.server,
        log: (message: string) => logged.push(message),
        onRefused: (reason: string, remote: HostPort, refusal?: { condition?: string; peer?: string }) =>
          refusals.push({ reason, remote, condition: refusal?.condition, peer: refusal?.peer }),
        ...options,
      } as LinkListenOptions,
      (session) => {
        serverSessions.push(session);
        session.onReceiverOpened(() => ({ credit: 5, maxMessageBytes: 1024 * 1024, onDelivery: (delivery) => delivery.accept() }));
      },
    );
    return listener;
  }

  async function client(): Promise<tls.TLSSocket> {
    const socket = await rawTlsClient(listener!.address.port, certs.client);
    sockets.push(socket);
    return socket;
  }

  describe('frames', () => {
    it('cuts a certified peer that sends a protocol header at a later frame boundary, having buffered at most maxFrameBytes', async () => {
      await serve();
      const socket = await client();
      const closed = closedOf(socket);
      // A header, one empty frame, then "AMQP…" where a frame size stands (1,095,586,128 bytes to rhea) and 4 MiB after it.
      socket.write(Buffer.concat([AMQP_HEADER, frame(8), AMQP_HEADER, STREAM]));
      socket.end();
      await closed;
      await until(() => serverSessions.length === 1 && refusals.length === 1, 'the refusal');
      assert.ok(bufferedBytes(serverSessions[0]) <= MAX_FRAME, `buffered ${bufferedBytes(serverSessions[0])} bytes`);
      assert.deepEqual(refusals.map(({ reason, condition, peer }) => ({ reason, condition, peer })), [
        { reason: 'a protocol header at byte 16 of the connection, where only a frame may stand', condition: 'framing', peer: 'node-b' },
      ]);
    });

    it('cuts a hostile server that sends a protocol header at a later frame boundary, having buffered at most maxFrameBytes (dialling side)', async () => {
      await serve();
      const session = await amqp10Links.connect({ host: '127.0.0.1', port: listener!.address.port, tls: certs.client, expectedName: 'float-a' });
      clientSessions.push(session);
      await until(() => serverSessions.length === 1, 'the server session');
      const hostile = socketOf(serverSessions[0]);
      hostile.write(Buffer.concat([AMQP_HEADER, STREAM]));
      hostile.end();
      const reason = await session.closed;
      assert.ok(bufferedBytes(session) <= MAX_FRAME, `buffered ${bufferedBytes(session)} bytes`);
      assert.match(reason, /a protocol header at byte \d+ of the connection, where only a frame may stand/);
    });

    it('tells a frame size under the minimum from one over the limit, and names the verified peer', async () => {
      await serve();
      for (const size of [0, 3, 7, MAX_FRAME + 1]) {
        const socket = await client();
        const closed = closedOf(socket);
        socket.write(Buffer.concat([AMQP_HEADER, frame(size)]));
        await closed;
      }
      await until(() => refusals.length === 4, 'four refusals');
      assert.deepEqual(refusals.map(({ reason, condition, peer }) => ({ reason, condition, peer })), [
        { reason: 'a frame size of 0 bytes is invalid (minimum 8)', condition: 'framing', peer: 'node-b' },
        { reason: 'a frame size of 3 bytes is invalid (minimum 8)', condition: 'framing', peer: 'node-b' },
        { reason: 'a frame size of 7 bytes is invalid (minimum 8)', condition: 'framing', peer: 'node-b' },
        { reason: `a frame of ${MAX_FRAME + 1} bytes announced, over the ${MAX_FRAME}-byte limit`, condition: 'framing', peer: 'node-b' },
      ]);
    });

    it('routes rhea\'s protocol errors to the given log, bounded, and prints nothing to stderr', async () => {
      await serve();
      const written: string[] = [];
      const original = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        for (let i = 0; i < 3; i++) {
          const socket = await client();
          const closed = closedOf(socket);
          // A frame of a valid size but of type 5 (neither AMQP nor SASL), 8 KiB long: rhea throws on it.
          socket.write(Buffer.concat([AMQP_HEADER, frame(8 * 1024, 5)]));
          await closed;
        }
        await until(() => logged.length >= 3, 'three log lines');
      } finally {
        process.stderr.write = original;
      }
      assert.deepEqual(written, []);
      for (const line of logged) assert.ok(line.length <= 300, `a log line of ${line.length} characters`);
    });
  });

  describe('refusals before any session', () => {
    it('records the address of a peer refused for a certificate from another CA', async () => {
      await serve();
      const error = await amqp10Links
        .connect({ host: '127.0.0.1', port: listener!.address.port, tls: certs.foreign, expectedName: 'float-a' })
        .then(() => assert.fail('connected'), (caught: unknown) => caught);
      assert.ok(error instanceof LinkConnectError);
      await until(() => refusals.length === 1, 'the refusal');
      assert.equal(refusals[0].remote.host, '127.0.0.1');
      assert.ok(refusals[0].remote.port > 0, `port ${refusals[0].remote.port}`);
      assert.equal(refusals[0].condition, 'tls');
    });

    it('closes a TLS connection that sends no AMQP open within the deadline, on the clock it is given', async () => {
      const clock = new VirtualClock();
      await serve({ clock } as Partial<LinkListenOptions>);
      const socket = await client();
      let closed = false;
      void closedOf(socket).then(() => (closed = true));
      socket.write(AMQP_HEADER); // the header, then silence: no open
      await until(() => clock.pending === 1, 'the open deadline');
      await clock.advance(9_999);
      assert.equal(closed, false);
      await clock.advance(1);
      await until(() => closed, 'the connection to close');
      assert.deepEqual(refusals.map(({ reason, condition, peer }) => ({ reason, condition, peer })), [
        { reason: 'no AMQP open within 10000 ms', condition: 'deadline', peer: 'node-b' },
      ]);
    });

    it('keeps a session that opened in time past the deadline', async () => {
      const clock = new VirtualClock();
      await serve({ clock } as Partial<LinkListenOptions>);
      const session = await amqp10Links.connect({ host: '127.0.0.1', port: listener!.address.port, tls: certs.client, expectedName: 'float-a' });
      clientSessions.push(session);
      await until(() => clock.pending === 0, 'the deadline to be cancelled');
      await clock.advance(60_000);
      const sender = await session.openSender('inbox/a');
      assert.equal((await sender.send(new Uint8Array(3))).outcome, 'accepted');
      assert.deepEqual(refusals, []);
    });

    it('refuses connections from one address beyond maxConnectionsPerSource', async () => {
      await serve({ maxConnectionsPerSource: 2, clock: new VirtualClock() } as Partial<LinkListenOptions>);
      await client();
      await client();
      const third = tls.connect({ host: '127.0.0.1', port: listener!.address.port, ...(certs.client as tls.ConnectionOptions), checkServerIdentity: () => undefined });
      third.on('error', () => undefined);
      await closedOf(third);
      await until(() => refusals.length === 1, 'the refusal');
      assert.deepEqual(refusals.map(({ reason, condition }) => ({ reason, condition })), [
        { reason: '2 connections from 127.0.0.1 are open already (maxConnectionsPerSource)', condition: 'limit' },
      ]);
    });

    it('refuses sessions of one verified peer beyond maxConnectionsPerPeer', async () => {
      await serve({ maxConnectionsPerSource: 10, maxConnectionsPerPeer: 2 } as Partial<LinkListenOptions>);
      const connect = () => amqp10Links.connect({ host: '127.0.0.1', port: listener!.address.port, tls: certs.client, expectedName: 'float-a' });
      clientSessions.push(await connect(), await connect());
      const error = await connect().then((session) => (clientSessions.push(session), assert.fail('connected')), (caught: unknown) => caught);
      assert.ok(error instanceof LinkConnectError, String(error));
      await until(() => refusals.length === 1, 'the refusal');
      assert.deepEqual(refusals.map(({ reason, condition, peer }) => ({ reason, condition, peer })), [
        { reason: 'node-b has 2 connections open already (maxConnectionsPerPeer)', condition: 'limit', peer: 'node-b' },
      ]);
      assert.equal(listener!.sessions, 2);
    });
  });

  describe('dialling', () => {
    it('fails connect with LinkConnectTimeoutError when the server never sends its AMQP open, on the clock it is given', async () => {
      const received: Buffer[] = [];
      let serverSocket: tls.TLSSocket | undefined;
      const silent = tls.createServer({ ...(certs.server as tls.TlsOptions), requestCert: true, rejectUnauthorized: true }, (socket) => {
        serverSocket = socket;
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => received.push(chunk)); // takes the client's header and open, answers nothing
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const clock = new VirtualClock();
        const port = (silent.address() as { port: number }).port;
        let outcome: unknown;
        void amqp10Links
          .connect({ host: '127.0.0.1', port, tls: certs.client, expectedName: 'float-a', clock } as Parameters<typeof amqp10Links.connect>[0])
          .then((session) => (clientSessions.push(session), (outcome = 'connected')), (error: unknown) => (outcome = error));
        await until(() => Buffer.concat(received).length >= 8, "the client's protocol header");
        await clock.advance(9_999);
        assert.equal(outcome, undefined);
        await clock.advance(1);
        await until(() => outcome !== undefined, 'the connect to fail');
        const error = outcome as unknown as { code?: string; to?: string; timeoutMs?: number; message?: string };
        assert.equal(error.code, 'LINK_CONNECT_TIMEOUT', String(outcome));
        assert.equal(error.to, `127.0.0.1:${port}`);
        assert.equal(error.timeoutMs, 10_000);
        await until(() => serverSocket?.destroyed === true || serverSocket?.readableEnded === true, 'the client to drop the socket');
      } finally {
        serverSocket?.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });

  describe('links and deliveries', () => {
    it('refuses links beyond maxLinksPerSession, and takes a new one once one is detached', async () => {
      await serve({ maxLinksPerSession: 2 } as Partial<LinkListenOptions>);
      const session = await amqp10Links.connect({ host: '127.0.0.1', port: listener!.address.port, tls: certs.client, expectedName: 'float-a' });
      clientSessions.push(session);
      const first = await session.openSender('inbox/1');
      await session.openSender('inbox/2');
      const refused = await session.openSender('inbox/3').then(() => assert.fail('opened'), (caught: unknown) => caught);
      assert.ok(refused instanceof LinkRefusedError);
      assert.equal(refused.condition, 'amqp:resource-limit-exceeded');
      assert.equal(refused.description, 'at most 2 links per session');
      await first.close();
      const fourth = await session.openSender('inbox/4');
      assert.equal((await fourth.send(new Uint8Array(1))).outcome, 'accepted');
    });

    it('advertises the receiver\'s limit as max-message-size and refuses a multi-frame delivery as soon as it passes it', async () => {
      await serve();
      const connection = rhea.create_container().connect({
        transport: 'tls', host: '127.0.0.1', port: listener!.address.port, reconnect: false,
        key: certs.client.key as string, cert: certs.client.cert as string, ca: certs.client.ca as string, servername: 'float-a',
        checkServerIdentity: () => undefined,
      });
      connection.on('disconnected', () => undefined);
      try {
        const sender = connection.open_sender('inbox/big');
        await new Promise((resolve) => sender.once('sendable', resolve));
        const remote = (sender as unknown as { remote: { attach: { max_message_size?: number | bigint } } }).remote.attach;
        assert.equal(Number(remote.max_message_size), 1024 * 1024 + 4 * 1024);
        const outcome = new Promise<string>((resolve) => {
          sender.once('rejected', () => resolve('the delivery was rejected after it arrived whole'));
          sender.once('sender_close', () => {
            const error = (sender as unknown as { remote: { detach?: { error?: { condition?: string; description?: string } } } }).remote.detach?.error;
            resolve(`${error?.condition}: ${error?.description}`);
          });
        });
        // 32 MiB: 128 transfers of 256 KiB; the receiver holds at most its advertised size and a frame before it says no.
        sender.send({ body: rhea.message.data_section(Buffer.alloc(32 * 1024 * 1024, 1)) });
        const said = await outcome;
        const match = /^amqp:link:message-size-exceeded: a message passed the limit of 1052672 bytes at (\d+) bytes, before it was whole$/.exec(said);
        assert.ok(match, said);
        assert.ok(Number(match[1]) <= 1024 * 1024 + 4 * 1024 + MAX_FRAME, match[1]);
      } finally {
        connection.close();
      }
    });

    it('refuses an amqp-value body holding a string with amqp:decode-error', async () => {
      const got: Uint8Array[] = [];
      listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: certs.server }, (session) => {
        session.onReceiverOpened(() => ({ credit: 5, onDelivery: (delivery) => (got.push(delivery.bytes), delivery.accept()) }));
      });
      const connection = rhea.create_container().connect({
        transport: 'tls', host: '127.0.0.1', port: listener.address.port, reconnect: false,
        key: certs.client.key as string, cert: certs.client.cert as string, ca: certs.client.ca as string, servername: 'float-a',
        checkServerIdentity: () => undefined,
      });
      connection.on('disconnected', () => undefined);
      try {
        const sender = connection.open_sender('inbox/any');
        const outcomes: string[] = [];
        sender.on('accepted', () => outcomes.push('accepted'));
        sender.on('rejected', (context) => {
          const error = (context.delivery!.remote_state as { error?: { condition?: string; description?: string } }).error;
          outcomes.push(`rejected ${error?.condition}: ${error?.description}`);
        });
        await new Promise((resolve) => sender.once('sendable', resolve));
        sender.send({ body: 'a string value' });
        sender.send({ body: rhea.message.data_section(Buffer.from('a data section')) });
        await until(() => outcomes.length === 2, 'both outcomes');
        assert.deepEqual(outcomes, ['rejected amqp:decode-error: the body is not binary data (an amqp-value holding a string)', 'accepted']);
        assert.deepEqual(got.map((bytes) => Buffer.from(bytes).toString()), ['a data section']);
      } finally {
        connection.close();
      }
    });
  });
});
