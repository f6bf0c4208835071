import type { ConsumeMessage } from 'amqplib';
import { AirlockError, type Address } from '../../lib/index.ts';
import { DEAD_LETTER_HEADERS, deadLetterQueueName } from './names.ts';
import type { Publisher } from './publisher.ts';

/** Longest error text put in a header (headers share a 64 KiB table). */
const MAX_ERROR_TEXT = 1_000;

export interface DeadLetterContext {
  address: Address;
  queue: string;
  envelopeId?: string;
  attempts?: number;
}

/**
 * Moves a message to the namespace's dead-letter queue with its reason in headers. It resolves
 * once the broker confirmed the copy, so the original is acknowledged only when the copy is safe.
 */
export class DeadLetters {
  readonly queue: string;

  constructor(
    namespace: string,
    private readonly publisher: Publisher,
  ) {
    this.queue = deadLetterQueueName(namespace);
  }

  send(message: ConsumeMessage, reason: Error, context: DeadLetterContext): Promise<void> {
    const headers: Record<string, unknown> = {
      ...(message.properties.headers ?? {}),
      [DEAD_LETTER_HEADERS.reason]: reason instanceof AirlockError ? reason.code : reason.name,
      [DEAD_LETTER_HEADERS.error]: reason.message.slice(0, MAX_ERROR_TEXT),
      [DEAD_LETTER_HEADERS.address]: context.address,
      [DEAD_LETTER_HEADERS.queue]: context.queue,
    };
    if (context.envelopeId !== undefined) headers[DEAD_LETTER_HEADERS.envelopeId] = context.envelopeId;
    if (context.attempts !== undefined) headers[DEAD_LETTER_HEADERS.attempts] = context.attempts;
    return this.publisher.publish('', this.queue, message.content, {
      persistent: true,
      headers,
      messageId: message.properties.messageId as string | undefined,
      contentType: message.properties.contentType as string | undefined,
    });
  }
}
