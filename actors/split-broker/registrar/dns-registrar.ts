import { z } from 'zod';
import { defineActor } from '../../../lib/actor.ts';
import type { Timer } from '../../../lib/ports/clock.ts';
import type { DatagramSocket, HostPort, Listener, Network } from '../../../lib/ports/network.ts';
import { OracleProtocol } from '../oracle/protocol.ts';
import { encodeClientPollResponse } from '../wire/index.ts';
import { RegistrationReassembler } from './dns-reassembly.ts';
import { DEFAULT_DNS_TCP_LIMITS, DEFAULT_REASSEMBLY_LIMITS, DNS_CLASSIC_UDP_BYTES, DNS_MAX_UDP_BYTES, MAX_DNS_QUERY_BYTES } from '../limits.ts';
import { DnsRegistrationError, parseRegistrationName } from '../wire/dns-registration.ts';
import { CLASS_IN, parseDnsQuery, presentationName, TYPE_TXT, type DnsQuestion } from './dns-query.ts';
import { encodeDnsReply, replyLimit, type DnsOutcome } from './dns-reply.ts';
import { dnsSourceOf } from './dns-source.ts';
import { serveDnsOverTcp, type DnsTcpLimits } from './dns-tcp.ts';
import { EdgeBounds } from './edge-bounds.ts';
import { clientResponse, forwardRequest } from './forward-registration.ts';
import { RegistrarConfig } from './registrar-config.ts';
import { RegistrarProtocol } from './protocol.ts';

export const DnsRegistrarConfig = RegistrarConfig.extend({
  /** The zone whose names carry registrations: `<data>.<seq>.<total>.<session>.<zone>`. */
  zone: z.string().regex(/^[a-z0-9.-]+$/).default('broker.airlock.test'),
  maxChunks: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.maxChunks),
  maxSessions: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.maxSessions),
  maxSessionsPerSource: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.maxPerSource),
  sessionExpiryMs: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.expiryMs),
  /** The largest UDP reply, whatever buffer a query's EDNS advertises (512 without EDNS). */
  maxUdpReplyBytes: z.number().int().min(DNS_CLASSIC_UDP_BYTES).max(MAX_DNS_QUERY_BYTES).default(DNS_MAX_UDP_BYTES),
  /** DNS over TCP on the same port. */
  tcp: z
    .strictObject({ maxPerSource: z.number().int().positive(), maxConnections: z.number().int().positive(), idleMs: z.number().int().positive(), maxUnreadBytes: z.number().int().positive() })
    .partial()
    .default({})
    .transform((tcp): DnsTcpLimits => ({ ...DEFAULT_DNS_TCP_LIMITS, ...tcp })),
});

/** How many times a free port (port 0) is drawn again when TCP finds the UDP socket's port taken. */
const FREE_PORT_ATTEMPTS = 10;

/**
 * The DNS registrar (edge zone): sealed registrations arrive in the names of TXT queries over
 * UDP or TCP on one port (see dns-registration.ts), are put together within bounds
 * (dns-reassembly.ts), forwarded to the Oracle as the sealed bytes they are, and answered in a
 * TXT record. Every reply copies the query's id, and its one question as received or none at
 * all when it has not exactly one that parses (dns-question.ts, dns-reply.ts), over UDP and TCP
 * alike: FORMERR for what does not parse, NOTIMP for an opcode other than QUERY, REFUSED
 * for what is outside the zone, not IN TXT or over the bounds; too large for UDP, it is truncated
 * (TC) and the resolver asks again over TCP. A datagram shorter than a header, or a response,
 * gets no answer.
 */
export const dnsRegistrarActor = defineActor({
  protocol: RegistrarProtocol,
  config: DnsRegistrarConfig,
  async setup(ctx) {
    const config = ctx.config;
    const oracle = ctx.ref(config.oracle, OracleProtocol);
    const bounds = EdgeBounds.forMethod(ctx.clock, config, 'dns');
    const reassembler = new RegistrationReassembler(ctx.clock, { maxChunks: config.maxChunks, maxSessions: config.maxSessions, maxPerSource: config.maxSessionsPerSource, expiryMs: config.sessionExpiryMs });
    /** The outcome of each completed registration (the broker's answer or a refusal), for resolvers that repeat its last query; kept as long as a session. */
    const outcomes = new Map<string, Promise<DnsOutcome>>();
    const forgets = new Set<Timer>();
    ctx.onStop(() => forgets.forEach((timer) => timer.cancel()));

    /** The reply to one message over `transport`, or undefined when it deserves none. */
    const answer = async (bytes: Uint8Array, from: HostPort, transport: 'udp' | 'tcp'): Promise<Uint8Array | undefined> => {
      if (bytes.length > MAX_DNS_QUERY_BYTES) return void bounds.refuse('oversized');
      const query = parseDnsQuery(bytes);
      if (!query) return void bounds.refuse('malformed');
      const reply = (outcome: DnsOutcome) => encodeDnsReply(query, outcome, replyLimit(query, transport, config.maxUdpReplyBytes), config.maxUdpReplyBytes);
      if (!bounds.admit(from.host)) return reply({ rcode: 'REFUSED' });
      if (query.problem || !query.question) {
        bounds.refuse(query.problem?.rcode === 'NOTIMP' ? 'refused' : 'malformed');
        return reply({ rcode: query.problem?.rcode ?? 'FORMERR' });
      }
      try {
        return reply(await register(query.question, from));
      } catch (error) {
        if (!(error instanceof DnsRegistrationError)) throw error;
        bounds.refuse(error.rcode === 'FORMERR' ? 'malformed' : 'refused');
        return reply({ rcode: error.rcode });
      }
    };

    const register = (question: DnsQuestion, from: HostPort): DnsOutcome | Promise<DnsOutcome> => {
      if (question.type !== TYPE_TXT || question.class !== CLASS_IN) throw new DnsRegistrationError('REFUSED', 'only IN TXT queries');
      const chunk = parseRegistrationName(presentationName(question.labels), config.zone);
      const state = reassembler.accept(chunk, dnsSourceOf(from.host));
      if (state.state === 'partial') return { text: `ack ${state.received}/${state.total}` };
      if (state.state === 'repeated') return outcomes.get(chunk.session) ?? { text: `ack ${state.total}/${state.total}` };
      const outcome = forward(state.sealed);
      outcomes.set(state.session, outcome);
      const forget: Timer = ctx.clock.setTimer(config.sessionExpiryMs, () => {
        outcomes.delete(state.session);
        forgets.delete(forget);
      });
      forgets.add(forget);
      return outcome;
    };

    /** The broker's answer as TXT text, or REFUSED (counted) when the registration is too large or too many wait. */
    const forward = (sealed: Uint8Array): Promise<DnsOutcome> => {
      const answered =
        sealed.length > config.maxBodyBytes
          ? undefined
          : bounds.wait(() => forwardRequest(oracle, { version: '2.0', sealed }, bounds, config.askTimeoutMs).then((result) => ({ text: encodeClientPollResponse(clientResponse(result)) })));
      if (answered) return answered;
      bounds.refuse('refused');
      return Promise.resolve({ rcode: 'REFUSED' });
    };

    const { socket } = await listenOnOnePort(ctx.network, config, {
      onDatagram: (bytes, from, socket) => answer(bytes, from, 'udp').then((reply) => reply && socket().send(reply, from).catch(() => {})),
      tcp: (at) =>
        serveDnsOverTcp({
          network: ctx.network,
          clock: ctx.clock,
          at,
          limits: config.tcp,
          maxQueryBytes: MAX_DNS_QUERY_BYTES,
          answer: (bytes, from) => answer(bytes, from, 'tcp'),
          refused: (reason) => bounds.refuse(reason),
          supervise: ctx.supervise,
        }),
    });
    return { where: () => socket.address };
  },
});

interface OnePort {
  /** `socket()` is the datagram socket the message came in on. */
  onDatagram(bytes: Uint8Array, from: HostPort, socket: () => DatagramSocket): unknown;
  tcp(at: HostPort): Promise<Listener>;
}

/** Binds UDP, then TCP on the same port; with port 0, draws again while TCP finds the UDP socket's port taken. */
async function listenOnOnePort(network: Network, at: HostPort, serve: OnePort): Promise<{ socket: DatagramSocket; listener: Listener }> {
  for (let attempt = 1; ; attempt++) {
    let socket: DatagramSocket | undefined;
    socket = await network.bindDatagram({ host: at.host, port: at.port }, (bytes, from) => serve.onDatagram(bytes, from, () => socket!));
    try {
      return { socket, listener: await serve.tcp({ host: at.host, port: socket.address.port }) };
    } catch (error) {
      await socket.close().catch(() => {});
      if (at.port !== 0 || attempt >= FREE_PORT_ATTEMPTS) throw error;
    }
  }
}
