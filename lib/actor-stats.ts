import type { Address } from './address.ts';
import type { RunState } from './child.ts';
import type { ExitReason } from './events.ts';
import type { LatencyHistogram } from './latency-histogram.ts';
import type { OverflowPolicy } from './ports/transport.ts';

/** How an actor's last incarnation ended, as an operator reads it: the kind, and the error's code and message when there was one. */
export interface LastExit {
  kind: ExitReason['kind'];
  at: number;
  code?: string;
  message?: string;
}

/**
 * One actor's live figures, read at once from its cell (nothing is computed on the hot path but
 * a few increments): what the control plane's `stats` answers and the node's metrics export.
 * Counters are totals since the actor's address was first started (they survive restarts, as
 * the mailbox does), so an observer computes rates from two readings.
 */
export interface ActorStats {
  address: Address;
  state: RunState;
  /** Starts of this address so far: 1 for the first incarnation, +1 per start after it. */
  incarnation: number;
  restarts: number;
  lastExit?: LastExit;
  mailbox: { depth: number; capacity: number; overflow: OverflowPolicy };
  /** Messages that entered the mailbox: taken by the actor so far, plus those waiting. */
  received: number;
  handled: number;
  /** Messages whose handler threw (each crashed the actor). */
  failed: number;
  /** Incarnations that ended in a failure: a handler threw, or a timer, callback or machine failed outside one. */
  crashes: number;
  /** Messages addressed here refused before reaching it: an invalid body, a full mailbox, the actor kept down. */
  refused: number;
  /** Messages addressed here that nobody will handle (crashed on, refused on arrival, left on a stop). */
  deadLettered: number;
  /** Time from the actor taking an ask from its mailbox to its answer going out (queueing excluded: see `mailbox.depth`). */
  asks: LatencyHistogram;
  /** Machine actors: the xstate state value (a string, or an object for parallel and nested states). */
  machineState?: unknown;
}
