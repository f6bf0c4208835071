export { RabbitTransport, connectRabbit } from './rabbit-transport.ts';
export type { RabbitOptions, DedupeStore } from './options.ts';
export type { RabbitEvent } from './connection-manager.ts';
export { DEAD_LETTER_HEADERS, queueName, deadLetterQueueName } from './names.ts';
export { HEADERS_DROPPED } from './dead-letters.ts';
export { DeadLetterQueue, type DeadLetter, type RequeueOutcome } from './dead-letter-queue.ts';
export { RabbitLease, LEASE_RENEW_MS } from './election.ts';
export * from './errors.ts';
