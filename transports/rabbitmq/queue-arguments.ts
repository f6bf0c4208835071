import type { Options } from 'amqplib';
import { UnsupportedMailboxError, type Address, type MailboxOptions } from '../../lib/index.ts';
import { isSystemAddress } from './names.ts';
import { QueueMismatchError } from './errors.ts';

/**
 * What a durable queue is made of: a classic queue lives on the node that declared it (and stops
 * with it); a quorum queue is replicated over `groupSize` nodes of a cluster (Raft: it takes
 * messages while a majority of them runs, and elects a new leader when its leader's node goes).
 */
export interface DurableQueueKind {
  readonly quorum: boolean;
  /** Replicas of a quorum queue (`x-quorum-initial-group-size`); the broker caps it at the cluster's size. */
  readonly groupSize: number;
}

export const CLASSIC: DurableQueueKind = { quorum: false, groupSize: 1 };

/** The arguments that make a durable queue of `kind` (none for a classic queue). */
function kindArguments(kind: DurableQueueKind): Record<string, unknown> {
  return kind.quorum ? { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': kind.groupSize } : {};
}

/**
 * How a mailbox's queue is declared. The bound is the broker's own: `x-max-length` with
 * `x-overflow: reject-publish`, so a publish beyond it is nacked and the sender's `tell` rejects
 * with `MailboxFullError` (quorum queues honour both). System addresses (`<node>/$control`) get a
 * queue that goes with its last consumer, so nothing waits for a node that is gone, and so do
 * transient addresses (see `RabbitOptions.transient`): those stay classic whatever `kind` says, as
 * a quorum queue is always durable and never auto-deleted (the broker refuses such a declaration).
 * Reply queues are not declared here.
 */
export function mailboxQueue(address: Address, options: MailboxOptions, transient = false, kind: DurableQueueKind = CLASSIC): Options.AssertQueue {
  if (options.overflow !== 'reject') {
    // A broker queue cannot hold a sender's confirm until a consumer frees room: say so at spawn.
    throw new UnsupportedMailboxError(address, 'rabbitmq', `overflow '${options.overflow}' is not available: the broker can only refuse a publish beyond the bound (use 'reject')`);
  }
  const bounds = { 'x-max-length': options.capacity, 'x-overflow': 'reject-publish' };
  if (isSystemAddress(address) || transient) return { durable: false, autoDelete: true, arguments: bounds };
  // Unbounded on a cluster: RabbitMQ 3.10.8 was seen to nack every publish of a channel to a quorum
  // queue once its leader had moved (the chaos spec's third fault, the DMZ float's after a node loss),
  // bounded or not, so the publisher sends nacked messages again on a fresh channel (`Publisher`'s
  // `nacks: 'retry'`), and a nack can no longer say "full". Any other overflow mode drops messages.
  if (kind.quorum) return { durable: true, arguments: kindArguments(kind) };
  return { durable: true, arguments: bounds };
}

/**
 * The namespace's dead-letter queue: of the mailboxes' kind, so on a cluster it outlives the loss
 * of any one node (a classic one on a stopped node refuses every declaration, and with it the setup
 * of every mailbox channel, until that node is back).
 */
export function deadLetterQueue(kind: DurableQueueKind = CLASSIC): Options.AssertQueue {
  return { durable: true, arguments: kindArguments(kind) };
}

/** RabbitMQ's reply code when a queue exists with other arguments (PRECONDITION_FAILED). */
const PRECONDITION_FAILED = 406;

/** Turns the broker's refusal to re-declare `queue` with other arguments into a typed error; anything else passes as is. */
export function queueMismatch(queue: string, error: unknown): unknown {
  if ((error as { code?: unknown }).code !== PRECONDITION_FAILED) return error;
  const detail = /inequivalent arg[^"]*/.exec((error as Error).message)?.[0] ?? (error as Error).message;
  return new QueueMismatchError(queue, detail, { cause: error });
}
