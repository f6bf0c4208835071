import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';

/** Bytes as any Uint8Array (a Node Buffer included). */
const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes (a Uint8Array)');

/** An actor address as the control protocol carries it (checked again where it is used). */
const AddressText = z.string().min(1).max(255);
/** A message id, reused as the correlation id of what answers it. */
const MessageId = z.string().min(1).max(128);

/** Where an outbound bridge sends: the remote Float or node, and the name its certificate must carry. */
export const RemotePeer = z.object({
  /** The remote organisation's name: the outbound queue is `<bridge manager>/out/<name>`. */
  name: z.string().regex(/^[A-Za-z0-9_.~-]{1,64}$/),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  expectedName: z.string().min(1).max(255),
  /** Dial through this SOCKS5 proxy (Corda's `proxyConfig`). */
  socks: z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65_535) }).optional(),
});
export type RemotePeer = z.output<typeof RemotePeer>;

/** A local outbound queue and the remote peer its messages go to. */
export const OutboundQueue = z.object({ queue: AddressText, peer: RemotePeer });
export type OutboundQueue = z.output<typeof OutboundQueue>;

/**
 * The bridge control protocol (Corda's): non-durable and stateless, so restarting any party
 * re-syncs. A starting BridgeManager sends `QueueQuery` until a node answers with a
 * `QueueSnapshot` carrying the query's id; a node also sends an unsolicited snapshot when it
 * starts, and a `BridgeRequest` for each new outbound queue.
 */
export const BridgeControl = defineProtocol('bridge-control', {
  QueueQuery: { body: z.object({ messageId: MessageId, replyTo: AddressText }) },
  QueueSnapshot: {
    body: z.object({
      messageId: MessageId,
      /** The query answered; none when the node sent it unasked. */
      correlationId: MessageId.optional(),
      inboxes: z.array(AddressText).max(10_000),
      outbound: z.array(OutboundQueue).max(10_000),
    }),
  },
  BridgeRequest: { body: z.object({ messageId: MessageId, outbound: OutboundQueue }) },
});
export type BridgeControl = typeof BridgeControl;

/** What a BridgeManager puts in an inbox: the peer's bytes, as the Float received them, and who sent them. */
export const PeerInbox = defineProtocol('peer-inbox', {
  PeerMessage: {
    body: z.object({
      messageId: z.string().max(128).optional(),
      /** The peer's certificate CN, as the Float verified it. */
      peer: z.string().max(255),
      /** SHA-256 of the peer's certificate, `AA:BB:…`. */
      peerFingerprint: z.string().max(128),
      bytes: Bytes,
    }),
  },
});
export type PeerInbox = typeof PeerInbox;

/** What a local actor puts on an outbound queue: bytes for an inbox of the remote organisation. */
export const Outbound = defineProtocol('outbound', {
  Send: {
    body: z.object({
      messageId: z.string().min(1).max(128),
      /** The remote inbox address the bytes are for. */
      target: z.string().min(1).max(255),
      bytes: Bytes,
    }),
  },
});
export type Outbound = typeof Outbound;

/** The local queue whose messages go to `peer`: the QueueConsumer's address. */
export function outboundQueueOf(bridgeManager: string, peer: string): string {
  return `${bridgeManager}/out/${peer}`;
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
