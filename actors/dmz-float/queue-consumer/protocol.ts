import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';
import { AddressText, Bytes, MessageId } from '../message-fields.ts';

/**
 * The QueueConsumer's protocol: its mailbox is the local outbound queue for one remote peer, and
 * what a local actor puts there is bytes for an inbox of that remote organisation.
 */
export const OutboundProtocol = defineProtocol('outbound', {
  Send: {
    body: z.strictObject({
      messageId: MessageId,
      /** The remote inbox address the bytes are for. */
      target: AddressText,
      bytes: Bytes,
    }),
  },
});
export type OutboundProtocol = typeof OutboundProtocol;
