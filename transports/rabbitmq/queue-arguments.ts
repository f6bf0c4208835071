import type { Options } from 'amqplib';
import { UnsupportedMailboxError, type Address, type MailboxOptions } from '../../lib/index.ts';
import { isSystemAddress } from './names.ts';
import { QueueMismatchError } from './errors.ts';

/**
 * How a mailbox's queue is declared. The bound is the broker's own: `x-max-length` with
 * `x-overflow: reject-publish`, so a publish beyond it is nacked and the sender's `tell` rejects
 * with `MailboxFullError`. System addresses (`<node>/$control`) get a queue that goes with its
 * last consumer, so nothing waits for a node that is gone, and so do transient addresses (see
 * `RabbitOptions.transient`). Reply queues are not declared here.
 */
export function mailboxQueue(address: Address, options: MailboxOptions, transient = false): Options.AssertQueue {
  if (options.overflow !== 'reject') {
    // A broker queue cannot hold a sender's confirm until a consumer frees room: say so at spawn.
    throw new UnsupportedMailboxError(address, 'rabbitmq', `overflow '${options.overflow}' is not available: the broker can only refuse a publish beyond the bound (use 'reject')`);
  }
  const bounds = { 'x-max-length': options.capacity, 'x-overflow': 'reject-publish' };
  return isSystemAddress(address) || transient ? { durable: false, autoDelete: true, arguments: bounds } : { durable: true, arguments: bounds };
}

/** RabbitMQ's reply code when a queue exists with other arguments (PRECONDITION_FAILED). */
const PRECONDITION_FAILED = 406;

/** Turns the broker's refusal to re-declare `queue` with other arguments into a typed error; anything else passes as is. */
export function queueMismatch(queue: string, error: unknown): unknown {
  if ((error as { code?: unknown }).code !== PRECONDITION_FAILED) return error;
  const detail = /inequivalent arg[^"]*/.exec((error as Error).message)?.[0] ?? (error as Error).message;
  return new QueueMismatchError(queue, detail, { cause: error });
}
