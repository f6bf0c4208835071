import tls from 'node:tls';
import type { Socket } from 'node:net';
import rhea from 'rhea';
import {
  LinkConnectError,
  PeerIdentityError,
  errorMessage,
  type HostPort,
  type LinkConnectOptions,
  type LinkListenOptions,
  type LinkListener,
  type LinkSession,
  type Links,
  type TlsMaterial,
} from '../../lib/index.ts';
import { guardFrameSizes } from './frame-guard.ts';
import { carriesName, namesOf } from '../../lib/index.ts';
import { identityOf } from './peer-identity.ts';
import { RheaLinkSession } from './rhea-session.ts';
import { DEFAULT_MAX_FRAME_BYTES, connectionOptions, type Connection } from './rhea-types.ts';
import { dialThroughSocks } from './socks-dial.ts';

type RheaContainer = ReturnType<typeof rhea.create_container>;
/** `accept(socket)` makes rhea serve a connection on a socket we authenticated; its typings omit it. */
type Acceptable = Connection & { accept(socket: Socket): Connection };

function tlsMaterial(tlsOptions: TlsMaterial | undefined, who: string): tls.SecureContextOptions {
  if (!tlsOptions?.key || !tlsOptions.cert || !tlsOptions.ca) throw new LinkConnectError(who, 'mutual TLS needs tls: { key, cert, ca }');
  const { key, cert, ca } = tlsOptions;
  const buffer = (value: string | Uint8Array) => (typeof value === 'string' ? value : Buffer.from(value));
  return { key: buffer(key), cert: buffer(cert), ca: Array.isArray(ca) ? ca.map(buffer) : buffer(ca), minVersion: 'TLSv1.2' };
}

/** A container per endpoint, whose stray errors are reported, never thrown at the process. */
function container(): RheaContainer {
  const made = rhea.create_container();
  made.on('error', () => undefined);
  return made;
}

/**
 * The `Links` port over AMQP 1.0 (rhea) and mutual TLS (Node's `tls`): a server only talks AMQP
 * to clients whose certificate chains to its CA; a client only to a server whose certificate
 * chains to its CA and carries the expected name.
 */
export const amqp10Links: Links = {
  async listen(options: LinkListenOptions, onSession: (session: LinkSession) => void): Promise<LinkListener> {
    const server = tls.createServer({ ...tlsMaterial(options.tls, `${options.host}:${options.port}`), requestCert: true, rejectUnauthorized: true });
    const rheaContainer = container();
    const open = new Set<Socket>();
    let sessions = 0;
    server.on('tlsClientError', (error, socket) => {
      // A certificate that fails verification ends the socket quietly: the reason is on the socket.
      const reason = socket.authorizationError ? `client certificate refused: ${String(socket.authorizationError)}` : errorMessage(error);
      options.onRefused?.(reason, { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 });
    });
    server.on('secureConnection', (socket) => {
      // AMQP settles with small frames: Nagle plus the peer's delayed ACK would add ~40 ms to each.
      socket.setNoDelay(true);
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => undefined);
      sessions++;
      const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
      guardFrameSizes(socket, maxFrameBytes, (announced) => {
        options.onRefused?.(`a frame of ${announced} bytes announced, over the ${maxFrameBytes}-byte limit`, remoteOf(socket));
        socket.destroy();
      });
      const connection = rheaContainer.create_connection(connectionOptions(maxFrameBytes)) as Acceptable;
      const session = new RheaLinkSession(identityOf(socket.getPeerCertificate()), remoteOf(socket), connection, socket);
      onSession(session);
      connection.accept(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as { address: string; port: number };
    return {
      address: { host: bound.address, port: bound.port },
      get sessions() {
        return sessions;
      },
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of open) socket.destroy();
          server.close(() => resolve());
        }),
    };
  },

  async connect(options: LinkConnectOptions): Promise<LinkSession> {
    const to = `${options.host}:${options.port}`;
    const socket = await secureSocket(options, to);
    const peer = identityOf(socket.getPeerCertificate());
    const expected = options.expectedName ?? options.host;
    if (!carriesName(peer, expected)) {
      socket.destroy();
      throw new PeerIdentityError(expected, namesOf(peer));
    }
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    guardFrameSizes(socket, maxFrameBytes, () => socket.destroy());
    const connection = container().connect({
      ...connectionOptions(maxFrameBytes),
      host: options.host,
      port: options.port,
      // The socket is already connected and verified: rhea only speaks AMQP over it.
      connection_details: () => ({ connect: (_port: number, _host: string, _options: unknown, ready: () => void) => (process.nextTick(ready), socket), host: options.host, port: options.port }),
    } as Parameters<RheaContainer['connect']>[0]);
    const session = new RheaLinkSession(peer, remoteOf(socket), connection, socket);
    // In TLS 1.3 the server judges our certificate after our handshake ends: only its AMQP open proves it let us in.
    await new Promise<void>((resolve, reject) => {
      connection.once('connection_open', () => resolve());
      void session.closed.then((reason) => reject(new LinkConnectError(to, `the server refused the session: ${reason}`)));
    });
    return session;
  },
};

/** Dials (directly or through SOCKS5) and completes the TLS handshake, verifying the server's chain. */
async function secureSocket(options: LinkConnectOptions, to: string): Promise<tls.TLSSocket> {
  let raw: Socket | undefined;
  try {
    if (options.socks) raw = await dialThroughSocks(options.socks, options);
  } catch (error) {
    throw new LinkConnectError(to, `SOCKS5 proxy ${options.socks!.host}:${options.socks!.port}: ${errorMessage(error)}`, error);
  }
  const servername = options.expectedName && !/^[\d.:]+$/.test(options.expectedName) ? options.expectedName : undefined;
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const socket = tls.connect({
      ...tlsMaterial(options.tls, to),
      ...(raw ? { socket: raw } : { host: options.host, port: options.port }),
      servername,
      rejectUnauthorized: true,
      // The name is checked against `expectedName` after the handshake, to fail with a typed error.
      checkServerIdentity: () => undefined,
    });
    socket.once('error', (error) => reject(new LinkConnectError(to, errorMessage(error), error)));
    socket.once('secureConnect', () => {
      socket.setNoDelay(true);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

function remoteOf(socket: Socket): HostPort {
  return { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
}
