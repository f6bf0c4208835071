import { z } from 'zod';
import { DEFAULT_MAX_FRAME_BYTES } from '../../../lib/index.ts';
import {
  DEFAULT_INBOUND_CREDIT,
  DEFAULT_QUERY_INTERVAL_MS,
  MAX_CREDIT,
  MAX_FLOAT_POOL,
  MAX_HOST_CHARS,
  MAX_MESSAGE_BYTES_CEILING,
  MIN_INBOX_FRAME_BYTES,
} from '../limits.ts';
import { DialPort, Host, ReconnectSettings, TlsSettings } from '../links/link-settings.ts';
import { AddressText } from '../message-fields.ts';
import { Activation, PublicTls } from '../tunnel/activation.ts';

/** A Float's tunnel listener, dialled outward (never the other way). */
export const FloatEndpoint = z.strictObject({
  host: Host,
  port: DialPort,
  /** The name the Float's tunnel certificate must carry. */
  expectedName: z.string().min(1).max(MAX_HOST_CHARS),
  /** This BridgeManager's tunnel identity; absent only under the simulation (`name`). */
  tls: TlsSettings.optional(),
  name: z.string().optional(),
});
export type FloatEndpoint = z.output<typeof FloatEndpoint>;

/** Strict: a misspelt option (`queryIntervalMS`) is an error at start, not a default silently used. */
export const BridgeManagerConfig = z.strictObject({
  /** The Float, or a hot-warm pool of them: one is active at a time; when it is gone, the next is dialled. */
  float: z.union([FloatEndpoint, z.array(FloatEndpoint).min(1).max(MAX_FLOAT_POOL)]),
  /** What the Float's public listener presents and trusts, sent on activation: it never touches the DMZ's disk. */
  publicTls: PublicTls,
  /** The largest message the Float accepts from a peer (sent on activation); the path below may lower it. */
  maxMessageBytes: Activation.shape.maxMessageBytes,
  /**
   * The largest frame the transport of every node hosting an inbox accepts (its `maxFrameBytes`):
   * the Float is told the largest body that fits one, and admits no more, so nothing it accepted is
   * dead-lettered inside. The transports' own default (1 MiB) unless raised there and here alike.
   */
  inboxMaxFrameBytes: z.number().int().min(MIN_INBOX_FRAME_BYTES).max(MAX_MESSAGE_BYTES_CEILING).default(DEFAULT_MAX_FRAME_BYTES),
  /** The inbox namespace peers may target, e.g. `internal.peers.`. */
  inboxPrefix: Activation.shape.inboxPrefix,
  /** The node's inbox registry, queried at start. */
  registry: AddressText,
  /** How often an unanswered `QueueQuery` is sent again. */
  queryIntervalMs: z.number().int().min(1).default(DEFAULT_QUERY_INTERVAL_MS),
  /** Messages the Float may forward at once, awaiting their broker confirms. */
  inboundCredit: z.number().int().min(1).max(MAX_CREDIT).default(DEFAULT_INBOUND_CREDIT),
  reconnect: ReconnectSettings,
  /** This node's identity toward remote peers, for its QueueConsumers. */
  outbound: z.strictObject({ tls: TlsSettings.optional(), name: z.string().optional() }).default({}),
});
export type BridgeManagerConfig = z.output<typeof BridgeManagerConfig>;
export type BridgeManagerConfigInput = z.input<typeof BridgeManagerConfig>;
