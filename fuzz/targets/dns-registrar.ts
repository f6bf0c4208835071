/**
 * The split broker's DNS registrar under hostile datagrams (fuzz/dns-queries.ts) from one UDP
 * socket. An answer with a TXT record is accepted; an RCODE refusal counts as `DNS_<rcode>`; a
 * datagram owed no answer (shorter than a header, a response, over 4,096 bytes) goes unanswered,
 * as the registrar documents (`silent`); a datagram owed an answer (fuzz/dns-owed.ts) left
 * unanswered, or an answer a resolver cannot read, or not the one owed (another id, a question
 * other than the query's bytes, a question where none can be copied), is a finding. `largestBufferedBytes`: the registration bytes the registrar acknowledged in
 * sessions still incomplete, what its reassembly holds for this attacker.
 */
import { owedAnswer } from '../dns-owed.ts';
import { DnsAttacker, type DnsOutcome } from '../dns-exchange.ts';
import { generateDnsQueries } from '../dns-queries.ts';
import { BufferMeter } from '../buffer-meter.ts';
import type { Frame } from '../frames.ts';
import type { TargetFactory } from '../harness.ts';
import type { Tally } from '../report.ts';
import { startSplitBroker, ZONE } from '../split-broker.ts';
import { ReassemblyHeld } from '../reassembly-held.ts';

/** The registrar's documented limit (MAX_DNS_QUERY_BYTES: an EDNS buffer): a larger datagram is not a query and gets no answer. */
const MAX_QUERY_BYTES = 4_096;

export const dnsRegistrarTarget: TargetFactory = {
  decoder: 'dnsRegistrar',
  async open(tally) {
    const broker = await startSplitBroker((address, error) => tally.actorCrash(address, error));
    const attacker = await DnsAttacker.open(broker.ports.dns);
    const meter = new BufferMeter();
    const held = new ReassemblyHeld(meter, ZONE);
    return {
      frames: (seed, count) => generateDnsQueries(ZONE, seed, count),
      buffered: { meter, bound: ReassemblyHeld.BOUND },
      async send(frame) {
        const owed = frame.bytes.byteLength <= MAX_QUERY_BYTES ? owedAnswer(frame.bytes) : undefined;
        classify(frame, await attacker.exchange(frame.bytes, owed), tally, held);
      },
      settle: async () => undefined,
      async close() {
        attacker.close();
        await broker.stop();
      },
    };
  },
};

function classify(frame: Frame, outcome: DnsOutcome, tally: Tally, held: ReassemblyHeld): void {
  switch (outcome.answer) {
    case 'silent':
      return tally.count('silent');
    case 'unanswered':
      return tally.untyped(new Error(`a '${frame.kind}' query left unanswered`));
    case 'unreadable':
      return tally.unreadable(`${outcome.why} (a '${frame.kind}' datagram)`);
    default:
      if (outcome.rcode !== 'NOERROR') return tally.refusedOnWire(`DNS_${outcome.rcode}`);
      tally.accepted++;
      if (outcome.name !== undefined) held.answered(outcome.name, outcome.text ?? '');
  }
}
