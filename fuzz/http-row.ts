/** An HTTP edge under attack, started for a row: where it listens, and how to stop it. */
export type HttpEdge = (onCrash: (address: string, error: unknown) => void) => Promise<{ port: number; stop(): Promise<void> }>;

/**
 * A fuzz row for one HTTP edge (the split broker's registrars, the rendezvous endpoint): hostile requests (fuzz/http-requests.ts), each
 * on its own connection, several in flight. A 2xx answer is accepted; another status is a refusal
 * under `HTTP_<status>`, except 500 (an error the edge did not type: a finding); an answer that does
 * not parse as HTTP is an unreadable answer.
 */
import { IN_FLIGHT_SLACK_BYTES } from './bounds.ts';
import { BufferMeter, WRITE_CHUNK_BYTES } from './buffer-meter.ts';
import type { TargetFactory } from './harness.ts';
import { exchange, type Exchange } from './http-exchange.ts';
import { generateRequests, type RequestRoutes } from './http-requests.ts';
import { InFlight } from './in-flight.ts';
import type { Tally } from './report.ts';

/** Requests in flight at once: enough to overlap the Matcher's waits, few enough to stay a single attacker. */
const CONCURRENCY = 16;
/** Node's own limit on a request's head (`--max-http-header-size`, 16 KiB): what the edge holds before the body. */
const MAX_HEAD_BYTES = 16 * 1024;

export function httpRow(decoder: string, start: HttpEdge, routes: RequestRoutes): TargetFactory {
  return {
    decoder,
    async open(tally) {
      const edge = await start((address, error) => tally.actorCrash(address, error));
      const port = edge.port;
      const meter = new BufferMeter();
      const inFlight = new InFlight(CONCURRENCY);
      return {
        frames: (seed, count) => generateRequests(routes, seed, count),
        // What an edge may hold before answering: a head and a body at their limits, and what was in flight.
        buffered: { meter, bound: MAX_HEAD_BYTES + routes.maxBodyBytes + IN_FLIGHT_SLACK_BYTES },
        async send(frame) {
          const sent = () => exchange(port, frame, meter).then((outcome) => classify(outcome, frame.kind, tally));
          if (frame.bytes.byteLength <= WRITE_CHUNK_BYTES) return inFlight.add(sent());
          // A large request goes alone, so the answer's arrival is not delayed by others and the count stays exact.
          await inFlight.drain();
          await sent();
        },
        settle: () => inFlight.drain(),
        close: () => edge.stop(),
      };
    },
  };
}

function classify(outcome: Exchange, kind: string, tally: Tally): void {
  switch (outcome.answer) {
    case 'status':
      if (outcome.status >= 200 && outcome.status < 300) tally.accepted++;
      else if (outcome.status === 500) tally.untyped(new Error(`HTTP 500 (an error the edge did not type) to a '${kind}' request`));
      else tally.refusedOnWire(`HTTP_${outcome.status}`);
      return;
    case 'unreadable':
      return tally.unreadable(outcome.why);
    default:
      return tally.count(outcome.answer === 'cut' ? 'cutWithoutAnswer' : outcome.answer);
  }
}
