import dnsPacket from 'dns-packet';
import { z } from 'zod';
import { defineActor } from '../../../lib/actor.ts';
import type { Timer } from '../../../lib/ports/clock.ts';
import type { HostPort } from '../../../lib/ports/network.ts';
import { OracleProtocol } from '../oracle/protocol.ts';
import { encodeClientPollResponse } from '../wire/index.ts';
import { RegistrationReassembler } from './dns-reassembly.ts';
import { DEFAULT_REASSEMBLY_LIMITS, MAX_DNS_QUERY_BYTES } from '../limits.ts';
import {
  decodeRegistrationQuery,
  DnsRegistrationError,
  encodeRegistrationResponse,
  parseRegistrationName,
  type DnsRcode,
} from '../wire/dns-registration.ts';
import { EdgeBounds } from './edge-bounds.ts';
import { clientResponse, forwardRequest } from './forward-registration.ts';
import { RegistrarConfig } from './registrar-config.ts';
import { RegistrarProtocol } from './protocol.ts';

export const DnsRegistrarConfig = RegistrarConfig.extend({
  /** The zone whose names carry registrations: `<data>.<seq>.<total>.<session>.<zone>`. */
  zone: z.string().regex(/^[a-z0-9.-]+$/).default('broker.airlock.test'),
  maxChunks: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.maxChunks),
  maxSessions: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.maxSessions),
  sessionExpiryMs: z.number().int().positive().default(DEFAULT_REASSEMBLY_LIMITS.expiryMs),
});

type Question = { id: number; name: string };
type Outcome = { text: string } | { rcode: DnsRcode };

/**
 * The DNS registrar (edge zone): sealed registrations arrive in the names of TXT queries over
 * UDP (see dns-registration.ts), are put together within bounds, forwarded to the Oracle as the
 * sealed bytes they are, and answered in a TXT record. What does not parse is FORMERR, what is
 * outside the zone or the bounds REFUSED; a datagram that is not DNS at all gets no answer.
 */
export const dnsRegistrarActor = defineActor({
  protocol: RegistrarProtocol,
  config: DnsRegistrarConfig,
  async setup(ctx) {
    const config = ctx.config;
    const oracle = ctx.ref(config.oracle, OracleProtocol);
    const bounds = EdgeBounds.forMethod(ctx.clock, config, 'dns');
    const reassembler = new RegistrationReassembler(ctx.clock, { maxChunks: config.maxChunks, maxSessions: config.maxSessions, expiryMs: config.sessionExpiryMs });
    /** The outcome of each completed registration (the broker's answer or a refusal), for resolvers that repeat its last query; kept as long as a session. */
    const outcomes = new Map<string, Promise<Outcome>>();
    const forgets = new Set<Timer>();
    ctx.onStop(() => forgets.forEach((timer) => timer.cancel()));

    const socket = await ctx.network.bindDatagram({ host: config.host, port: config.port }, (bytes, from) => {
      if (bytes.length > MAX_DNS_QUERY_BYTES) return bounds.refuse('oversized');
      const question = questionOf(bytes);
      if (!question) return bounds.refuse('malformed');
      if (!bounds.admit(from.host)) return respond(from, question, { rcode: 'REFUSED' });
      try {
        receive(decodeRegistrationQuery(bytes), from);
      } catch (error) {
        if (!(error instanceof DnsRegistrationError)) throw error;
        bounds.refuse(error.rcode === 'FORMERR' ? 'malformed' : 'refused');
        respond(from, question, { rcode: error.rcode });
      }
    });

    const respond = (to: HostPort, question: Question, outcome: Outcome) =>
      void socket.send(encodeRegistrationResponse(question, outcome), to).catch(() => {});

    const receive = (question: Question, from: HostPort) => {
      const chunk = parseRegistrationName(question.name, config.zone);
      const state = reassembler.accept(chunk);
      if (state.state === 'partial') return respond(from, question, { text: `ack ${state.received}/${state.total}` });
      if (state.state === 'repeated') {
        const outcome = outcomes.get(chunk.session);
        if (!outcome) return respond(from, question, { text: `ack ${state.total}/${state.total}` });
        return void outcome.then((known) => respond(from, question, known));
      }
      const outcome = forward(state.sealed);
      outcomes.set(state.session, outcome);
      const forget: Timer = ctx.clock.setTimer(config.sessionExpiryMs, () => {
        outcomes.delete(state.session);
        forgets.delete(forget);
      });
      forgets.add(forget);
      void outcome.then((known) => respond(from, question, known));
    };

    /** The broker's answer as TXT text, or REFUSED (counted) when the registration is too large or too many wait. */
    const forward = (sealed: Uint8Array): Promise<Outcome> => {
      const answer =
        sealed.length > config.maxBodyBytes
          ? undefined
          : bounds.wait(() => forwardRequest(oracle, { version: '2.0', sealed }, bounds, config.askTimeoutMs).then((result) => ({ text: encodeClientPollResponse(clientResponse(result)) })));
      if (answer) return answer;
      bounds.refuse('refused');
      return Promise.resolve({ rcode: 'REFUSED' });
    };

    return { where: () => socket.address };
  },
});

/** The id and first question of a DNS message, to answer even a query refused later; undefined if it is not DNS. */
function questionOf(bytes: Uint8Array): Question | undefined {
  try {
    const packet = dnsPacket.decode(Buffer.from(bytes));
    const name = packet.questions?.[0]?.name;
    return packet.type === 'query' && name !== undefined ? { id: packet.id ?? 0, name } : undefined;
  } catch {
    return undefined;
  }
}
