import { z } from 'zod';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../tunnel/activation.ts';
import { ReconnectSettings, TlsSettings } from '../links/link-settings.ts';

const Host = z.string().min(1).max(255);
const Port = z.number().int().min(1).max(65_535);

/** A Float's tunnel listener, dialled outward (never the other way). */
const FloatEndpoint = z.object({
  host: Host,
  port: Port,
  /** The name the Float's tunnel certificate must carry. */
  expectedName: z.string().min(1),
  /** This BridgeManager's tunnel identity; absent only under the simulation (`name`). */
  tls: TlsSettings.optional(),
  name: z.string().optional(),
});
export type FloatEndpoint = z.output<typeof FloatEndpoint>;

export const BridgeManagerConfig = z.object({
  /** The Float, or a hot-warm pool of them: one is active at a time; when it is gone, the next is dialled. */
  float: z.union([FloatEndpoint, z.array(FloatEndpoint).min(1).max(16)]),
  /** What the Float's public listener presents and trusts, sent on activation: it never touches the DMZ's disk. */
  publicTls: z.object({ key: z.string().min(1), cert: z.string().min(1), trustRoot: z.string().min(1) }),
  maxMessageBytes: z.number().int().min(1).default(DEFAULT_MAX_MESSAGE_BYTES),
  /** The inbox namespace peers may target, e.g. `internal.peers.`. */
  inboxPrefix: z.string().min(1),
  /** The node's inbox registry, queried at start. */
  registry: z.string().min(1),
  /** How often an unanswered `QueueQuery` is sent again. */
  queryIntervalMs: z.number().int().min(1).default(1_000),
  /** Messages the Float may forward at once, awaiting their broker confirms. */
  inboundCredit: z.number().int().min(1).max(10_000).default(64),
  reconnect: ReconnectSettings,
  /** This node's identity toward remote peers, for its QueueConsumers. */
  outbound: z.object({ tls: TlsSettings.optional(), name: z.string().optional() }).default({}),
});
export type BridgeManagerConfig = z.output<typeof BridgeManagerConfig>;
export type BridgeManagerConfigInput = z.input<typeof BridgeManagerConfig>;
