import { AirlockError, errorMessage } from '../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../lib/wire-errors.ts';

// The errors the RabbitMQ transport reports, registered at load so `errorFromWire` rebuilds them in any process.

/** The message broker could not be reached (first connection) within the time allowed. */
export class BrokerUnavailableError extends AirlockError {
  constructor(readonly url: string, cause?: unknown) {
    super('BROKER_UNAVAILABLE', `message broker at ${url} is unreachable: ${errorMessage(cause)}`, { cause });
  }
}

/** The broker refused to take responsibility for a published message (a publisher-confirm nack). */
export class PublishNackedError extends AirlockError {
  constructor(readonly to: string) {
    super('PUBLISH_NACKED', `the broker refused (nacked) a message to ${to}`);
  }
}

/** A message arrived with more header bytes than the transport accepts (its body is never read). */
export class OversizedHeadersError extends AirlockError {
  constructor(readonly size: number, readonly limit: number) {
    super('OVERSIZED_HEADERS', `message headers of ${size} bytes exceed the limit of ${limit} bytes`);
  }
}

/** The client library refused to encode a publish (e.g. a routing key over 255 bytes); nothing was sent. */
export class UnpublishableMessageError extends AirlockError {
  constructor(readonly to: string, cause: unknown) {
    super('UNPUBLISHABLE_MESSAGE', `a message to ${to.slice(0, 300)} cannot be published: ${errorMessage(cause)}`, { cause });
  }
}

/** A broker queue exists with other arguments (bounds) than the mailbox declaring it needs; they are fixed at creation. */
export class QueueMismatchError extends AirlockError {
  constructor(readonly queue: string, reason: string, options?: { cause?: unknown }) {
    super('QUEUE_MISMATCH', `queue ${queue} exists with other arguments than this mailbox needs (${reason}): delete it, or declare the same bounds`, options);
  }
}

/** A namespace's dead-letter queue is not on the broker: no node has run in that namespace. */
export class NoDeadLetterQueueError extends AirlockError {
  constructor(readonly queue: string, readonly namespace: string, cause?: unknown) {
    super('NO_DEAD_LETTER_QUEUE', `no queue '${queue}' on the broker: no node has run in namespace '${namespace}'; is --namespace right? (${errorMessage(cause)})`, { cause });
  }
}

/**
 * A transient message (an ask sent with `delivery: 'transient'`) was on a channel that closed
 * before the broker confirmed it: it may or may not have reached the broker, and it is not
 * published again (at most once), so its asker hears of it now rather than at its timeout.
 */
export class TransientMessageLostError extends AirlockError {
  constructor(readonly to: string) {
    super('TRANSIENT_MESSAGE_LOST', `a transient message to ${to.slice(0, 300)} was not confirmed before its channel closed, and is not sent again`);
  }
}

/** `connectRabbit` was given no broker URL, an empty one, or both `url` and `urls`. */
export class InvalidBrokerUrlsError extends AirlockError {
  constructor(reason: string) {
    super('INVALID_BROKER_URLS', `RabbitMQ transport: ${reason}`);
  }
}

const RABBITMQ_ERRORS = defineWireErrors({
  BROKER_UNAVAILABLE: BrokerUnavailableError,
  PUBLISH_NACKED: PublishNackedError,
  OVERSIZED_HEADERS: OversizedHeadersError,
  UNPUBLISHABLE_MESSAGE: UnpublishableMessageError,
  QUEUE_MISMATCH: QueueMismatchError,
  NO_DEAD_LETTER_QUEUE: NoDeadLetterQueueError,
  TRANSIENT_MESSAGE_LOST: TransientMessageLostError,
  INVALID_BROKER_URLS: InvalidBrokerUrlsError,
});

declare module '../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof RABBITMQ_ERRORS> {}
}
