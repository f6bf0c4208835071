import assert from 'node:assert/strict';
import { DEFAULT_MAILBOX } from '../../../internal.ts';
import { CLASSIC, deadLetterQueue, mailboxQueue, type DurableQueueKind } from '../../../transports/rabbitmq/queue-arguments.ts';

const QUORUM: DurableQueueKind = { quorum: true, groupSize: 3 };
const BOUNDS = { 'x-max-length': DEFAULT_MAILBOX.capacity, 'x-overflow': 'reject-publish' };
const QUORUM_ARGUMENTS = { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': 3 };

describe('RabbitMQ transport: which queues are quorum queues on a cluster', () => {
  const cases: [string, ReturnType<typeof mailboxQueue>, ReturnType<typeof mailboxQueue>][] = [
    ["an actor's mailbox, classic", mailboxQueue('shop/orders', DEFAULT_MAILBOX, false, CLASSIC), { durable: true, arguments: BOUNDS }],
    // Unbounded: 3.10.8's quorum queues with reject-publish nacked everything after a leader change (queue-arguments.ts).
    ["an actor's mailbox on a cluster: quorum, without the bound", mailboxQueue('shop/orders', DEFAULT_MAILBOX, false, QUORUM), { durable: true, arguments: QUORUM_ARGUMENTS }],
    // A quorum queue is never auto-deleted nor non-durable (the broker refuses it): these stay classic.
    ['a control queue stays classic', mailboxQueue('shop/$control', DEFAULT_MAILBOX, false, QUORUM), { durable: false, autoDelete: true, arguments: BOUNDS }],
    ['a transient address stays classic', mailboxQueue('a-bridge/bridges', DEFAULT_MAILBOX, true, QUORUM), { durable: false, autoDelete: true, arguments: BOUNDS }],
    ['the dead-letter queue, classic', deadLetterQueue(CLASSIC), { durable: true, arguments: {} }],
    ['the dead-letter queue on a cluster: quorum', deadLetterQueue(QUORUM), { durable: true, arguments: QUORUM_ARGUMENTS }],
  ];
  for (const [name, declared, expected] of cases) it(name, () => assert.deepEqual(declared, expected));
});
