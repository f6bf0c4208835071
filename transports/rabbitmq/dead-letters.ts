import type { ConsumeMessage, Options } from 'amqplib';
import { AirlockError, type Address } from '../../lib/index.ts';
import type { Verdict } from './ack-tracker.ts';
import { headerBytes } from './incoming-headers.ts';
import { DEAD_LETTER_HEADERS, deadLetterQueueName } from './names.ts';
import type { Publisher } from './publisher.ts';
import { CLASSIC, deadLetterQueue, type DurableQueueKind } from './queue-arguments.ts';
import { OversizedHeadersError, UnpublishableMessageError } from './errors.ts';

/** Longest error text put in a header (headers share a 64 KiB table). */
const MAX_ERROR_TEXT = 1_000;

/**
 * Set on a dead letter that carries none of the original's headers (they were over the bound, or
 * could not be encoded again): the size in bytes of the headers that were left out.
 */
export const HEADERS_DROPPED = 'x-airlock-headers-dropped';

export interface DeadLetterContext {
  address: Address;
  queue: string;
  envelopeId?: string;
  attempts?: number;
}

/**
 * Moves a message to the namespace's dead-letter queue with its reason in headers. `send`
 * never rejects: it resolves with what to do with the original, so every delivery is settled
 * whatever happens to its copy — ack once the broker confirmed the copy; requeue when the broker
 * refused it for now (it comes back and is tried again); reject when no copy can ever be
 * published (a dead-letter-exchange policy on the queue still catches the original). Every
 * failure is reported as a `channel-error` event of the publisher.
 */
export class DeadLetters {
  readonly queue: string;
  /** How the queue is declared (by every mailbox that may dead-letter): of the mailboxes' kind. */
  readonly declaration: Options.AssertQueue;

  constructor(
    namespace: string,
    private readonly publisher: Publisher,
    kind: DurableQueueKind = CLASSIC,
  ) {
    this.queue = deadLetterQueueName(namespace);
    this.declaration = deadLetterQueue(kind);
  }

  async send(message: ConsumeMessage, reason: Error, context: DeadLetterContext): Promise<Verdict> {
    const ours = reasonHeaders(reason, context);
    const theirs = message.properties.headers ?? {};
    try {
      // Headers over the bound would overflow amqplib's table once ours are added: leave them out.
      if (reason instanceof OversizedHeadersError) await this.publish(message, withoutOriginal(ours, theirs));
      else await this.publishKeepingWhatFits(message, ours, theirs);
      return 'ack';
    } catch (error) {
      // Not swallowed: the transport's events say why this dead letter did not get out.
      this.publisher.report(error as Error);
      return error instanceof UnpublishableMessageError ? 'reject' : 'requeue';
    }
  }

  /** With the original headers; without them if amqplib cannot encode them again. */
  private async publishKeepingWhatFits(message: ConsumeMessage, ours: Record<string, unknown>, theirs: Record<string, unknown>): Promise<void> {
    try {
      await this.publish(message, { ...theirs, ...ours });
    } catch (error) {
      if (!(error instanceof UnpublishableMessageError)) throw error;
      await this.publish(message, withoutOriginal(ours, theirs));
    }
  }

  private publish(message: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
    return this.publisher.publish('', this.queue, message.content, {
      persistent: true,
      headers,
      messageId: message.properties.messageId as string | undefined,
      contentType: message.properties.contentType as string | undefined,
    });
  }
}

/** The headers that say why a message was dead-lettered, and from where. */
function reasonHeaders(reason: Error, context: DeadLetterContext): Record<string, unknown> {
  const headers: Record<string, unknown> = {
    [DEAD_LETTER_HEADERS.reason]: reason instanceof AirlockError ? reason.code : reason.name,
    [DEAD_LETTER_HEADERS.error]: reason.message.slice(0, MAX_ERROR_TEXT),
    [DEAD_LETTER_HEADERS.address]: context.address,
    [DEAD_LETTER_HEADERS.queue]: context.queue,
  };
  if (context.envelopeId !== undefined) headers[DEAD_LETTER_HEADERS.envelopeId] = context.envelopeId;
  if (context.attempts !== undefined) headers[DEAD_LETTER_HEADERS.attempts] = context.attempts;
  return headers;
}

function withoutOriginal(ours: Record<string, unknown>, theirs: Record<string, unknown>): Record<string, unknown> {
  return { ...ours, [HEADERS_DROPPED]: headerBytes(theirs) };
}
