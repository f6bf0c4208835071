import type { FaultDice } from './faults.ts';
import type { DeliveryLedger } from './delivery-ledger.ts';
import type { SimBroker } from './sim-broker.ts';
import type { SimNetwork } from './sim-network.ts';
import type { SimScheduler } from './scheduler.ts';
import type { Trace } from './trace.ts';

/** The parts of the world a node's transport works with. */
export interface WorldParts {
  readonly scheduler: SimScheduler;
  readonly network: SimNetwork;
  readonly broker: SimBroker;
  readonly trace: Trace;
  readonly ledger: DeliveryLedger;
  readonly dice: FaultDice;
}

/** One incarnation of a node, as its transport sees it: dead incarnations must do nothing. */
export interface NodeIncarnation {
  readonly name: string;
  readonly incarnation: number;
  /** `name#incarnation`, the broker's name for this connection. */
  readonly key: string;
  readonly alive: boolean;
}

/**
 * Deliberate breakages, for proving the invariants catch them; never on outside a test or a
 * replay of one. `ack-before-handle` acks a delivery when it is taken, `no-dedupe` turns off the
 * dedupe window.
 */
export type Breakage = 'ack-before-handle' | 'no-dedupe';
export const BREAKAGES: readonly Breakage[] = ['ack-before-handle', 'no-dedupe'];

export interface DurableOptions {
  /** A publish not confirmed within this is published again (same envelope id). */
  confirmTimeoutMs: number;
  /** Failed deliveries before a message is dead-lettered. */
  maxAttempts: number;
  /** Ids remembered per mailbox for dedupe. */
  dedupeWindow: number;
  breakage: Breakage | undefined;
}
