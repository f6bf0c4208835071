import tls from 'node:tls';
import type { Socket } from 'node:net';
import rhea from 'rhea';
import { errorMessage, realClock, type HostPort, type LinkListenOptions, type LinkListener, type LinkRefusal, type LinkSession, type Timer } from '../../lib/index.ts';
import { coalesceWrites } from './coalesced-writes.ts';
import { useHopTransferFrames } from './transfer-frames.ts';
import { ConnectionAdmission } from './connection-admission.ts';
import { guardFrames, guardPendingFrame } from './frame-guard.ts';
import {
  DEFAULT_MAX_CONNECTIONS_PER_PEER,
  DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_LINKS_PER_SESSION,
  DEFAULT_OPEN_DEADLINE_MS,
} from './limits.ts';
import { identityOf } from './peer-identity.ts';
import { boundRheaDecoding, guardPerformatives } from './performative-guard.ts';
import { rheaLineSink, routeRheaErrors } from './rhea-log.ts';
import { RheaLinkSession } from './rhea-session.ts';
import { connectionOptions, type Connection } from './rhea-types.ts';
import { remoteOf, tlsMaterial } from './tls-material.ts';

/** `accept(socket)` makes rhea serve a connection on a socket we authenticated; its typings omit it. */
type Acceptable = Connection & { accept(socket: Socket): Connection };

/** One TCP connection from its arrival: where from, its open deadline, who it turned out to be. */
interface Arrival {
  readonly remote: HostPort;
  readonly deadline: Timer;
  readonly raw: Socket;
  /** The TLS socket over `raw`, once the handshake is done. */
  socket?: tls.TLSSocket;
  peer?: string;
  /** Cut by this side already: the errors that follow are not refusals of their own. */
  cut: boolean;
}

/**
 * The listening side of the AMQP 1.0 `Links`: mutual TLS, then AMQP over the verified socket, with
 * every bound applied before rhea buffers anything: connections per address on arrival, per
 * certificate after the handshake, an AMQP-open deadline from arrival, frame sizes and headers on
 * every byte, links per session. Each refusal reaches `onRefused` with the address captured on arrival.
 */
export async function listenForLinks(options: LinkListenOptions, onSession: (session: LinkSession) => void): Promise<LinkListener> {
  const server = tls.createServer({ ...tlsMaterial(options.tls, `${options.host}:${options.port}`), requestCert: true, rejectUnauthorized: true });
  const clock = options.clock ?? realClock;
  const openDeadlineMs = options.openDeadlineMs ?? DEFAULT_OPEN_DEADLINE_MS;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const admission = new ConnectionAdmission({
    maxConnectionsPerSource: options.maxConnectionsPerSource ?? DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
    maxConnectionsPerPeer: options.maxConnectionsPerPeer ?? DEFAULT_MAX_CONNECTIONS_PER_PEER,
  });
  boundRheaDecoding();
  const rheaContainer = rhea.create_container();
  rheaContainer.on('error', () => undefined);
  const arrivals = new WeakMap<Socket, Arrival>();
  const open = new Set<Arrival>();
  let sessions = 0;
  const refuse = (reason: string, remote: HostPort, refusal: LinkRefusal) => options.onRefused?.(reason, remote, refusal);
  /** Cuts a connection for `reason`: once, audited once. */
  const cut = (arrival: Arrival, reason: string, condition: LinkRefusal['condition'], ending: 'now' | 'closing' = 'now'): void => {
    if (arrival.cut) return;
    arrival.cut = true;
    if (ending === 'now') end(arrival);
    refuse(reason, arrival.remote, { condition, ...(arrival.peer !== undefined ? { peer: arrival.peer } : {}) });
  };

  // Before Node's TLS wraps the socket: a refused address costs no handshake.
  server.prependListener('connection', (raw: Socket) => {
    const remote = remoteOf(raw);
    const slot = admission.admitSource(remote.host);
    const arrival: Arrival = { remote, raw, deadline: clock.setTimer(openDeadlineMs, () => cut(arrival, `no AMQP open within ${openDeadlineMs} ms`, 'deadline')), cut: false };
    arrivals.set(raw, arrival);
    open.add(arrival);
    raw.once('close', () => (arrival.deadline.cancel(), open.delete(arrival)));
    if (typeof slot === 'string') return cut(arrival, slot, 'limit');
    raw.once('close', slot);
  });

  server.on('tlsClientError', (error, socket) => {
    const arrival = arrivals.get(rawOf(socket));
    if (arrival?.cut) return;
    // A certificate that fails verification ends the socket quietly: the reason is on the socket.
    const reason = socket.authorizationError ? `client certificate refused: ${String(socket.authorizationError)}` : errorMessage(error);
    refuse(reason, arrival?.remote ?? remoteOf(socket), { condition: 'tls' });
  });

  server.on('secureConnection', (socket) => {
    const arrival = arrivals.get(rawOf(socket));
    if (!arrival || arrival.cut) return void socket.destroy();
    arrival.socket = socket;
    // AMQP settles with small frames: Nagle plus the peer's delayed ACK would add ~40 ms to each.
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const peer = identityOf(socket.getPeerCertificate());
    arrival.peer = peer.commonName ?? '';
    const slot = admission.admitPeer(peer.fingerprint256, arrival.peer);
    if (typeof slot === 'string') return cut(arrival, slot, 'limit');
    socket.once('close', slot);
    sessions++;
    const connection = rheaContainer.create_connection(connectionOptions(maxFrameBytes)) as Acceptable;
    const session = new RheaLinkSession(peer, arrival.remote, connection, socket, { maxLinks: options.maxLinksPerSession ?? DEFAULT_MAX_LINKS_PER_SESSION });
    const framing = (reason: string) => (session.noteCut(reason), cut(arrival, reason, 'framing'));
    guardFrames(socket, { maxFrameBytes, sasl: true }, framing);
    routeRheaErrors(connection, arrival.remote, options.log);
    // The guard closes the connection itself (the close frame first, then the socket).
    guardPerformatives(connection, socket, rheaLineSink(arrival.remote, options.log), (reason) => (session.noteCut(reason), cut(arrival, reason, 'framing', 'closing')));
    coalesceWrites(connection, socket);
    useHopTransferFrames(connection);
    connection.once('connection_open', () => arrival.deadline.cancel());
    onSession(session);
    connection.accept(socket);
    guardPendingFrame(socket, connection, maxFrameBytes, framing);
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
        for (const arrival of open) end(arrival);
        server.close(() => resolve());
      }),
  };
}

function end(arrival: Arrival): void {
  arrival.socket?.destroy();
  arrival.raw.destroy();
}

/**
 * The TCP socket under a server-side TLS socket (Node's `_parent`, there since Node 0.11): the key
 * of what was learnt on arrival, when the TLS socket may have lost its address already.
 */
function rawOf(socket: tls.TLSSocket): Socket {
  return (socket as unknown as { _parent?: Socket })._parent ?? socket;
}
