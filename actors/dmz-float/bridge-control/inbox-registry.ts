import { z } from 'zod';
import { defineActor } from '../../../lib/index.ts';
import { AddressText } from '../message-fields.ts';
import { BridgeControlProtocol, OutboundQueue, type OutboundQueue as Queue } from './protocol.ts';

export const InboxRegistryConfig = z.strictObject({
  /** The BridgeManager told of the node's inboxes and outbound queues. */
  bridgeManager: AddressText,
  inboxes: z.array(AddressText).default([]),
  outbound: z.array(OutboundQueue).default([]),
});

/**
 * The node side of the bridge control protocol: knows the node's inboxes and outbound queues,
 * answers each `QueueQuery` with a snapshot, announces itself with an unsolicited snapshot when it
 * starts, and passes new outbound queues (a `BridgeRequest` from a local actor) on to the bridge.
 */
export const inboxRegistryActor = defineActor({
  protocol: BridgeControlProtocol,
  config: InboxRegistryConfig,
  setup(ctx) {
    const inboxes = new Set(ctx.config.inboxes);
    const outbound = new Map<string, Queue>(ctx.config.outbound.map((entry) => [entry.queue, entry]));
    const snapshot = (correlationId?: string) => ({
      messageId: ctx.random.id(),
      ...(correlationId === undefined ? {} : { correlationId }),
      inboxes: [...inboxes],
      outbound: [...outbound.values()],
    });
    const bridge = ctx.ref(ctx.config.bridgeManager, BridgeControlProtocol);
    // Unasked, on start: a bridge already running learns of this node at once.
    bridge.tell('QueueSnapshot', snapshot()).catch((error: unknown) => ctx.log.info({ err: error }, 'no bridge manager to announce to yet'));
    return {
      QueueQuery: ({ messageId, replyTo }) => ctx.ref(replyTo, BridgeControlProtocol).tell('QueueSnapshot', snapshot(messageId)),
      QueueSnapshot({ inboxes: announced, outbound: queues }) {
        for (const inbox of announced) inboxes.add(inbox);
        for (const queue of queues) outbound.set(queue.queue, queue);
        return bridge.tell('QueueSnapshot', snapshot());
      },
      BridgeRequest(request) {
        outbound.set(request.outbound.queue, request.outbound);
        return bridge.tell('BridgeRequest', request);
      },
    };
  },
});
