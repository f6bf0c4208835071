import { z } from 'zod';
import {
  DEFAULT_INBOUND_CREDIT,
  DEFAULT_QUERY_INTERVAL_MS,
  MAX_CREDIT,
  MAX_FLOAT_POOL,
  MAX_HOST_CHARS,
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
  /** The largest message the Float accepts from a peer (sent on activation). */
  maxMessageBytes: Activation.shape.maxMessageBytes,
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
