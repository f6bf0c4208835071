import tls from 'node:tls';
import type { Socket } from 'node:net';
import rhea from 'rhea';
import {
  LinkConnectError,
  LinkConnectTimeoutError,
  PeerIdentityError,
  carriesName,
  errorMessage,
  namesOf,
  realClock,
  type LinkConnectOptions,
  type LinkSession,
} from '../../lib/index.ts';
import { coalesceWrites } from './coalesced-writes.ts';
import { useHopTransferFrames } from './transfer-frames.ts';
import { guardFrames, guardPendingFrame } from './frame-guard.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_FRAME_BYTES } from './limits.ts';
import { identityOf } from './peer-identity.ts';
import { boundRheaDecoding, guardPerformatives } from './performative-guard.ts';
import { rheaLineSink, routeRheaErrors } from './rhea-log.ts';
import { RheaLinkSession } from './rhea-session.ts';
import { connectionOptions } from './rhea-types.ts';
import { dialThroughSocks } from './socks-dial.ts';
import { remoteOf, secureContextOf } from './tls-material.ts';

type RheaContainer = ReturnType<typeof rhea.create_container>;

/**
 * The sockets of one `connect` under way: when its deadline passes they are destroyed, and any
 * that only turns up later (a SOCKS dial resolving late) is destroyed on arrival.
 */
class Attempt {
  private readonly sockets = new Set<Socket>();
  abandoned = false;

  track<S extends Socket>(socket: S): S {
    if (this.abandoned) socket.destroy();
    else this.sockets.add(socket);
    return socket;
  }

  abandon(): void {
    this.abandoned = true;
    for (const socket of this.sockets) socket.destroy();
  }
}

/**
 * The dialling side of the AMQP 1.0 `Links`: TCP (directly or through SOCKS5), mutual TLS, the
 * server's name, then AMQP until the server's open, all within `connectTimeoutMs` on the given clock.
 */
export async function connectLink(options: LinkConnectOptions): Promise<LinkSession> {
  const to = `${options.host}:${options.port}`;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const attempt = new Attempt();
  const dialling = dial(options, to, attempt);
  let timer: { cancel(): void } | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = (options.clock ?? realClock).setTimer(timeoutMs, () => {
      attempt.abandon();
      reject(new LinkConnectTimeoutError(to, timeoutMs));
    });
  });
  // What the dial does after the deadline is moot: its sockets are destroyed, its failure expected.
  dialling.catch(() => undefined);
  try {
    return await Promise.race([dialling, deadline]);
  } finally {
    timer?.cancel();
  }
}

async function dial(options: LinkConnectOptions, to: string, attempt: Attempt): Promise<LinkSession> {
  const socket = await secureSocket(options, to, attempt);
  const peer = identityOf(socket.getPeerCertificate());
  const expected = options.expectedName ?? options.host;
  if (!carriesName(peer, expected)) {
    socket.destroy();
    throw new PeerIdentityError(expected, namesOf(peer));
  }
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  boundRheaDecoding();
  const rheaContainer = rhea.create_container();
  rheaContainer.on('error', () => undefined);
  const connection = rheaContainer.connect({
    ...connectionOptions(maxFrameBytes),
    host: options.host,
    port: options.port,
    // The socket is already connected and verified: rhea only speaks AMQP over it.
    connection_details: () => ({ connect: (_port: number, _host: string, _options: unknown, ready: () => void) => (process.nextTick(ready), socket), host: options.host, port: options.port }),
  } as Parameters<RheaContainer['connect']>[0]);
  const session = new RheaLinkSession(peer, remoteOf(socket), connection, socket);
  const cut = (reason: string) => (session.noteCut(reason), socket.destroy());
  // rhea does not use SASL as a client here: the server's AMQP header is the only one it may send.
  guardFrames(socket, { maxFrameBytes, sasl: false }, cut);
  guardPendingFrame(socket, connection, maxFrameBytes, cut);
  routeRheaErrors(connection, remoteOf(socket), options.log);
  guardPerformatives(connection, socket, rheaLineSink(remoteOf(socket), options.log), (reason) => session.noteCut(reason));
  coalesceWrites(connection, socket);
  useHopTransferFrames(connection);
  if (attempt.abandoned) socket.destroy();
  // In TLS 1.3 the server judges our certificate after our handshake ends: only its AMQP open proves it let us in.
  await new Promise<void>((resolve, reject) => {
    connection.once('connection_open', () => resolve());
    void session.closed.then((reason) => reject(new LinkConnectError(to, `the server refused the session: ${reason}`)));
  });
  return session;
}

/** Dials (directly or through SOCKS5) and completes the TLS handshake, verifying the server's chain. */
async function secureSocket(options: LinkConnectOptions, to: string, attempt: Attempt): Promise<tls.TLSSocket> {
  let raw: Socket | undefined;
  try {
    if (options.socks) raw = attempt.track(await dialThroughSocks(options.socks, options));
  } catch (error) {
    throw new LinkConnectError(to, `SOCKS5 proxy ${options.socks!.host}:${options.socks!.port}: ${errorMessage(error)}`, error);
  }
  const servername = options.expectedName && !/^[\d.:]+$/.test(options.expectedName) ? options.expectedName : undefined;
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const socket = attempt.track(
      tls.connect({
        secureContext: secureContextOf(options.tls, to),
        ...(raw ? { socket: raw } : { host: options.host, port: options.port }),
        servername,
        rejectUnauthorized: true,
        // The name is checked against `expectedName` after the handshake, to fail with a typed error.
        checkServerIdentity: () => undefined,
      }),
    );
    socket.once('error', (error) => reject(new LinkConnectError(to, errorMessage(error), error)));
    socket.once('close', () => reject(new LinkConnectError(to, 'the connection closed during the TLS handshake')));
    socket.once('secureConnect', () => {
      socket.setNoDelay(true);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}
