import type { Clock, Timer } from '../../../lib/ports/clock.ts';
import type { Connection, HostPort, Listener, Network } from '../../../lib/ports/network.ts';
import { dnsSourceOf } from './dns-source.ts';
import { DnsTcpFrames, frameDnsMessage } from '../wire/dns-tcp-frames.ts';

export interface DnsTcpLimits {
  /** Connections one source (see dnsSourceOf) may hold open; one more is closed at once. */
  maxPerSource: number;
  /** Connections open at once; one more is closed at once. */
  maxConnections: number;
  /** A connection with no query or answer for this long, and none pending, is closed (on the Clock port). */
  idleMs: number;
  /** Answers a peer leaves unread; past this it is hung up on rather than buffered for. */
  maxUnreadBytes: number;
}

export interface DnsTcpService {
  network: Network;
  clock: Clock;
  at: HostPort;
  limits: DnsTcpLimits;
  /** Queries longer than this end the connection. */
  maxQueryBytes: number;
  /** The reply to one query (undefined: none); the same rules as over UDP, with TCP's size. */
  answer(query: Uint8Array, from: HostPort): Promise<Uint8Array | undefined>;
  /** Told of each connection refused or ended for breaking a bound. */
  refused(reason: 'busy' | 'oversized'): void;
  /** The actor's `ctx.supervise`: a stream's callbacks fail the actor, never the process. */
  supervise<A extends unknown[]>(callback: (...args: A) => unknown): (...args: A) => void;
}

/**
 * DNS over TCP (RFC 7766) beside the registrar's UDP socket, for resolvers that were told TC:
 * length-prefixed queries, pipelined, answered as each answer is ready (matched by id), every
 * resource bounded: connections per source and in all, an idle deadline, query and unread sizes.
 */
export function serveDnsOverTcp(service: DnsTcpService): Promise<Listener> {
  const open = new Map<string, number>();
  let total = 0;
  return service.network.listen(service.at, (connection) => {
    const source = dnsSourceOf(connection.remote.host);
    const mine = open.get(source) ?? 0;
    if (total >= service.limits.maxConnections || mine >= service.limits.maxPerSource) {
      service.refused('busy');
      return void connection.stream.destroy();
    }
    open.set(source, mine + 1);
    total++;
    connection.stream.once('close', () => {
      total--;
      const left = (open.get(source) ?? 1) - 1;
      if (left > 0) open.set(source, left);
      else open.delete(source);
    });
    serveConnection(service, connection);
  });
}

function serveConnection(service: DnsTcpService, { stream, remote }: Connection): void {
  const frames = new DnsTcpFrames(service.maxQueryBytes);
  let pending = 0;
  let idle: Timer | undefined;
  // Busy connections are never idle: an answer may wait for the broker longer than the deadline.
  const touch = () => {
    idle?.cancel();
    idle = service.clock.setTimer(service.limits.idleMs, () => (pending > 0 ? touch() : stream.destroy()));
  };
  const send = (reply: Uint8Array | undefined) => {
    pending--;
    touch();
    if (!reply || stream.destroyed) return;
    stream.write(frameDnsMessage(reply));
    if (stream.writableLength > service.limits.maxUnreadBytes) stream.destroy();
  };
  stream.on('error', () => stream.destroy());
  stream.once('close', () => idle?.cancel());
  stream.on(
    'data',
    service.supervise((chunk: Uint8Array) => {
      const queries = frames.push(chunk);
      if (queries === 'oversized') {
        service.refused('oversized');
        return void stream.destroy();
      }
      pending += queries.length;
      touch();
      return Promise.all(queries.map((query) => service.answer(query, remote).then(send)));
    }),
  );
  touch();
}
