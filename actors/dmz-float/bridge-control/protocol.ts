import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';
import { DialAddress, DialPort, Host } from '../links/link-settings.ts';
import { MAX_HOST_CHARS, MAX_PEER_NAME_CHARS, MAX_SNAPSHOT_ENTRIES, OUTBOUND_SEGMENT } from '../limits.ts';
import { AddressText, MessageId } from '../message-fields.ts';

/** Where an outbound bridge sends: the remote Float or node, and the name its certificate must carry. */
export const RemotePeer = z.strictObject({
  /** The remote organisation's name: the outbound queue is `<bridge manager>/out/<name>`. */
  name: z.string().regex(new RegExp(`^[A-Za-z0-9_.~-]{1,${MAX_PEER_NAME_CHARS}}$`)),
  host: Host,
  port: DialPort,
  expectedName: z.string().min(1).max(MAX_HOST_CHARS),
  /** Dial through this SOCKS5 proxy (Corda's `proxyConfig`). */
  socks: DialAddress.optional(),
});
export type RemotePeer = z.output<typeof RemotePeer>;

/** A local outbound queue and the remote peer its messages go to. */
export const OutboundQueue = z.strictObject({ queue: AddressText, peer: RemotePeer });
export type OutboundQueue = z.output<typeof OutboundQueue>;

/**
 * The bridge control protocol (Corda's): non-durable and stateless, so restarting any party
 * re-syncs. A starting BridgeManager sends `QueueQuery` until a node answers with a
 * `QueueSnapshot` carrying the query's id; a node also sends an unsolicited snapshot when it
 * starts, and a `BridgeRequest` for each new outbound queue. The message names are Corda's.
 */
export const BridgeControlProtocol = defineProtocol('bridge-control', {
  QueueQuery: { body: z.strictObject({ messageId: MessageId, replyTo: AddressText }) },
  QueueSnapshot: {
    body: z.strictObject({
      messageId: MessageId,
      /** The query answered; none when the node sent it unasked. */
      correlationId: MessageId.optional(),
      inboxes: z.array(AddressText).max(MAX_SNAPSHOT_ENTRIES),
      outbound: z.array(OutboundQueue).max(MAX_SNAPSHOT_ENTRIES),
    }),
  },
  BridgeRequest: { body: z.strictObject({ messageId: MessageId, outbound: OutboundQueue }) },
});
export type BridgeControlProtocol = typeof BridgeControlProtocol;

/** The local queue whose messages go to `peer`: the QueueConsumer's address. */
export function outboundQueueOf(bridgeManager: string, peer: string): string {
  return `${bridgeManager}/${outboundChildOf(peer)}`;
}

/** The QueueConsumer's child id under its BridgeManager, so its address is `outboundQueueOf(bridgeManager, peer)`. */
export function outboundChildOf(peer: string): string {
  return `${OUTBOUND_SEGMENT}/${peer}`;
}

/**
 * The `transient` option of the RabbitMQ transport for the bridge control protocol's addresses
 * (the BridgeManager's and the inbox registry's): the protocol is non-durable, so its messages
 * are neither persisted nor kept past their TTL, and a restarted party re-syncs by asking again.
 */
export function bridgeControlTransient(...addresses: string[]): (address: string) => boolean {
  const control = new Set(addresses);
  return (address) => control.has(address);
}
