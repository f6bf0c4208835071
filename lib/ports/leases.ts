/**
 * A lease: one holder among the nodes that contend for the same name (active/passive HA).
 * Holding it is the broker's decision, never this node's own: a node is active while the broker
 * says so and passive the moment its connection to the broker is gone.
 * `RabbitTransport.elect(name)` implements it with a single-active-consumer queue.
 */
export interface Lease {
  readonly name: string;
  /** True while this node holds the lease. */
  readonly active: boolean;
  /** Resolves once this node holds the lease; rejects with `LeaseUnavailableError` if it is closed first. */
  whenActive(): Promise<void>;
  /** Calls `listener` on every change: `active` when the lease is granted, `passive` when it is lost or given up. */
  on(event: LeaseEvent, listener: () => void): () => void;
  /** Hands the lease to the next contender (if this node holds it); this node then queues behind the others. */
  resign(): Promise<void>;
  /** Stops contending for good (handing the lease over if held). */
  close(): Promise<void>;
}

export type LeaseEvent = 'active' | 'passive';
