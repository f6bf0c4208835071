/**
 * AMQP 1.0 bytes into a listener like the Float's public one (`amqp10Links.listen`, real mutual
 * TLS, certificates generated per run): a peer with a valid certificate opens, begins and attaches
 * a sender to an inbox by the book, then sends hostile units (fuzz/amqp-hostile.ts). An answered
 * probe with no error is accepted; an error condition (a rejected delivery, a detach, an end or
 * a close) is a refusal under that condition, a connection cut without one is `CUT`;
 * `amqp:internal-error` is an error the listener did not type. `largestBufferedBytes` is held to
 * the listener's message limit plus one frame.
 */
import { amqp10Links, CONDITIONS, type LinkSession } from '../../internal.ts';
import { AmqpAttacker, INBOX, type UnitOutcome } from '../amqp-attacker.ts';
import { DESYNC_KINDS, generateAmqpUnits, type AmqpLimits } from '../amqp-hostile.ts';
import { IN_FLIGHT_SLACK_BYTES, MAX_ANSWER_MS } from '../bounds.ts';
import { BufferMeter, WRITE_CHUNK_BYTES } from '../buffer-meter.ts';
import type { TargetFactory } from '../harness.ts';
import { AMQP_LANES, Lanes } from '../lanes.ts';
import type { Tally } from '../report.ts';
import { fuzzPki } from '../tls-pki.ts';

/** The listener's limits: small, so transfers past them are cheap to send; the Float configures its own the same way. */
export const LISTEN_LIMITS: AmqpLimits = { maxFrameBytes: 32 * 1024, maxMessageBytes: 128 * 1024, credit: 16 };
/** What the listener may hold of one connection: a message at its limit, the frame that passed it, and what was in flight. */
const HELD_BOUND = LISTEN_LIMITS.maxMessageBytes + LISTEN_LIMITS.maxFrameBytes + IN_FLIGHT_SLACK_BYTES;

export const amqp10ListenTarget: TargetFactory = {
  decoder: 'amqp10Listen',
  async open(tally) {
    const pki = await fuzzPki();
    const listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: pki.server, maxFrameBytes: LISTEN_LIMITS.maxFrameBytes }, (session) => inboxOnly(session, tally));
    const meter = new BufferMeter();
    const lanes = new Lanes(AMQP_LANES);
    // One attacker connection per lane, used for unit after unit until the listener ends it.
    const attackers: (AmqpAttacker | undefined)[] = [];
    return {
      frames: (seed, count) => generateAmqpUnits(LISTEN_LIMITS, seed, count),
      buffered: { meter, bound: HELD_BOUND },
      send: (frame) =>
        lanes.run(async (lane) => {
          let attacker = attackers[lane];
          if (!attacker || attacker.ended) attacker = attackers[lane] = await AmqpAttacker.open(listener.address.port, pki.client, meter);
          const started = performance.now();
          const outcome = await attacker.unit(frame.bytes, DESYNC_KINDS.has(frame.kind), HELD_BOUND + 2 * WRITE_CHUNK_BYTES);
          noteAnswerTime(tally, frame.kind, performance.now() - started);
          if (outcome.answer !== 'alive') {
            attacker.destroy();
            attackers[lane] = undefined;
          }
          classify(outcome, frame.kind, tally);
        }),
      settle: () => lanes.settle(),
      async close() {
        for (const attacker of attackers) attacker?.destroy();
        await listener.close();
      },
    };
  },
};

/** As the Float's peer gate: senders to inboxes only, with credit and a message limit; deliveries accepted. */
function inboxOnly(session: LinkSession, tally: Tally): void {
  session.onReceiverOpened((request) =>
    request.address === INBOX
      ? { credit: LISTEN_LIMITS.credit, maxMessageBytes: LISTEN_LIMITS.maxMessageBytes, onDelivery: (delivery) => (tally.count('delivered'), delivery.accept()) }
      : { refuse: { condition: CONDITIONS.notFound, description: `no receiver at '${request.address.slice(0, 80)}'` } },
  );
}

export function classify(outcome: UnitOutcome, kind: string, tally: Tally): void {
  switch (outcome.answer) {
    case 'timeout':
      return tally.untyped(new Error(`a '${kind}' unit went unanswered`));
    case 'held':
      return tally.count('heldPastCap');
    case 'unreadable':
      return tally.unreadable(`${outcome.why} (after a '${kind}' unit)`);
    default: {
      const condition = outcome.conditions[0] ?? (outcome.answer === 'closed' ? 'CUT' : undefined);
      if (condition === 'amqp:internal-error') return tally.untyped(new Error(`amqp:internal-error after a '${kind}' unit`));
      if (condition === undefined) tally.accepted++;
      else tally.refusedOnWire(condition);
    }
  }
}

/** The slowest unit, and a finding when one blocked the listener past `MAX_ANSWER_MS`. */
export function noteAnswerTime(tally: Tally, kind: string, ms: number): void {
  tally.extra.slowestAnswerMs = Math.max(tally.extra.slowestAnswerMs ?? 0, Math.round(ms));
  if (ms > MAX_ANSWER_MS) tally.untyped(new Error(`a '${kind}' unit blocked the target over ${MAX_ANSWER_MS} ms`));
}
