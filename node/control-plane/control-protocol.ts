import { z } from 'zod';
// lib's own files rather than its face: the CLI's client reads this protocol (see admin-client.ts).
import { childAddress, type Address } from '../../lib/address.ts';
import type { ChildStatus } from '../../lib/child.ts';
import { defineProtocol } from '../../lib/protocol.ts';

/** The last segment of every node's control actor address: `<node>/$control`. */
export const CONTROL_SEGMENT = '$control';

/** Where node `node` runs its control actor. */
export function controlAddress(node: string): Address {
  return childAddress(node, CONTROL_SEGMENT);
}

/** A status as it crosses a process boundary; recursive like the supervision tree. */
export const ChildStatusSchema: z.ZodType<ChildStatus> = z.lazy(() =>
  z.object({
    address: z.string(),
    kind: z.enum(['actor', 'supervisor']),
    state: z.enum(['running', 'stopped', 'restarting', 'failed']),
    restarts: z.number().int().nonnegative(),
    mailboxDepth: z.number().int().nonnegative().optional(),
    handled: z.number().int().nonnegative().optional(),
    failed: z.number().int().nonnegative().optional(),
    strategy: z.string().optional(),
    children: z.array(ChildStatusSchema).optional(),
    standby: z.object({ lease: z.string(), holder: z.boolean() }).optional(),
  }),
);

/** Why a control request was refused, as `{ code, message }` so it survives any transport. */
export const ControlFailureSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.unknown()).optional() }),
});

export const NodeStatusSchema = z.object({
  ok: z.literal(true),
  node: z.string(),
  transport: z.string(),
  tree: z.array(ChildStatusSchema),
});

/** Most actors one `stats` reply carries: 1,000 of them stay well under an admin frame (1 MiB); page with `after`. */
export const MAX_STATS_PAGE = 1_000;
export const DEFAULT_STATS_PAGE = 500;

/** A latency quantile on the wire: a bucket's upper bound in ms, or `'+Inf'` past the last one (Prometheus' `le`). */
const QuantileSchema = z.union([z.number().nonnegative(), z.literal('+Inf')]);

/** One actor's live figures (lib's `ActorStats`) as they cross a process boundary. */
export const ActorStatsSchema = z.object({
  address: z.string(),
  state: z.enum(['running', 'stopped', 'restarting', 'failed']),
  incarnation: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  lastExit: z
    .object({
      kind: z.enum(['normal', 'shutdown', 'killed', 'failure']),
      at: z.number(),
      code: z.string().optional(),
      message: z.string().optional(),
    })
    .optional(),
  mailbox: z.object({ depth: z.number().int().nonnegative(), capacity: z.number().int().nonnegative(), overflow: z.enum(['reject', 'backpressure']) }),
  received: z.number().int().nonnegative(),
  handled: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  crashes: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
  /** Asks answered: how many, their total time, p50/p99 (absent before the first), and the counts per bucket of `bucketsMs` (+1 past the last). */
  asks: z.object({
    count: z.number().int().nonnegative(),
    sumMs: z.number().nonnegative(),
    p50Ms: QuantileSchema.optional(),
    p99Ms: QuantileSchema.optional(),
    buckets: z.array(z.number().int().nonnegative()),
  }),
  behaviour: z.enum(['machine', 'handler']),
  machineState: z.unknown().optional(),
});

/** `stats`: the live figures of the node's actors (at or under `address`), one page in address order. */
export const NodeStatsSchema = z.object({
  ok: z.literal(true),
  node: z.string(),
  transport: z.string(),
  /** When the figures were read, on the node's clock (ms): rates are differences over it. */
  at: z.number(),
  /** The ask latency buckets' upper bounds, in ms. */
  bucketsMs: z.array(z.number()),
  actors: z.array(ActorStatsSchema),
  /** More actors follow: ask again with `after: next`. */
  next: z.string().optional(),
});

/** `events`: the node's recent system events after `after`, oldest first (see event-log.ts). */
export const NodeEventsSchema = z.object({
  ok: z.literal(true),
  node: z.string(),
  /** One node's life: a new one (the process restarted) numbers its events from 1 again. */
  epoch: z.string(),
  events: z.array(
    z.object({
      seq: z.number().int().positive(),
      at: z.number(),
      kind: z.enum(['started', 'stopped', 'failed', 'restarted', 'dead-lettered', 'rejected', 'reply-dropped', 'control-refused']),
      address: z.string(),
      detail: z.string(),
    }),
  ),
  /** More events follow: ask again with `after: next`. */
  next: z.number().int().optional(),
});

/** After restart/stop/start: the status of the address acted on. */
export const ChildOutcomeSchema = z.object({ ok: z.literal(true), address: z.string(), status: ChildStatusSchema });

/**
 * What proves a state-changing request comes from a holder of the node's control key:
 * HMAC-SHA256 over (node, type, address, timestamp, nonce), see control-auth.ts.
 */
export const ControlAuthSchema = z.object({
  /** When it was signed, in milliseconds since the epoch. */
  timestamp: z.number().int().nonnegative(),
  /** 16 random bytes, hex: what makes each request unique within the time window. */
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  /** The HMAC, hex. */
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * `auth` is optional in the schema only so that a request without it is answered with
 * CONTROL_UNAUTHORIZED (which says what is missing) rather than a bare INVALID_MESSAGE.
 */
const TargetBody = z.object({ address: z.string().min(1).max(255), auth: ControlAuthSchema.optional() });

/** A dynamic child's configuration crosses as JSON text, so the MAC covers exactly the bytes the node parses. */
export const MAX_CHILD_CONFIG_CHARS = 65_536;

/** `startChild`: the new child's address (`<dynamic supervisor>/<id>`) and its config, signed together. */
const StartChildBody = TargetBody.extend({ config: z.string().max(MAX_CHILD_CONFIG_CHARS).optional() });
const ChildReply = z.union([ChildOutcomeSchema, ControlFailureSchema]);
const StatsBody = z.object({
  address: z.string().min(1).max(255).optional(),
  /** The `next` of the previous page: actors whose address sorts after it. */
  after: z.string().min(1).max(255).optional(),
  limit: z.number().int().min(1).max(MAX_STATS_PAGE).optional(),
});

/**
 * What every node's control actor answers. Each message is asked; a refusal is a reply too
 * (`ok: false` with a typed error code), so a bad request never crashes the control actor.
 * - `status`: the node's supervision tree, or the subtree at `address` (read-only: no `auth`);
 * - `events`: the node's recent system events after `after` (read-only: no `auth`);
 * - `stats`: every actor's live figures (mailbox, counters, ask latency, machine state, last
 *   exit), at or under `address`, paged (`after`, `limit`) in address order (read-only: no `auth`);
 * - `restart`: restarts that child as its supervisor's strategy says;
 * - `stop`: stops that child, which stays stopped (its supervisor does not restart it);
 * - `start`: starts a stopped child again.
 * - `startChild`: a new child of a dynamic supervisor from its template (`config`: JSON text,
 *   checked against the template's schema); an id it holds already is DUPLICATE_CHILD;
 * - `stopChild`: stops a dynamic supervisor's child and removes it.
 * Restart, stop, start, startChild and stopChild are refused unless `auth` is valid, fresh and
 * not seen before; the last two refuse any address not under a dynamic supervisor
 * (NOT_A_DYNAMIC_SUPERVISOR).
 */
export const Control = defineProtocol('airlock.control', {
  status: {
    body: z.object({ address: z.string().min(1).max(255).optional() }),
    reply: z.union([NodeStatusSchema, ControlFailureSchema]),
  },
  stats: { body: StatsBody, reply: z.union([NodeStatsSchema, ControlFailureSchema]) },
  events: {
    body: z.object({ after: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(500).optional() }),
    reply: z.union([NodeEventsSchema, ControlFailureSchema]),
  },
  restart: { body: TargetBody, reply: ChildReply },
  stop: { body: TargetBody, reply: ChildReply },
  start: { body: TargetBody, reply: ChildReply },
  startChild: { body: StartChildBody, reply: ChildReply },
  stopChild: { body: TargetBody, reply: ChildReply },
});

export type ControlProtocol = typeof Control;
export type ControlRequestType = 'status' | 'stats' | 'events' | ControlAction;
export const CONTROL_REQUEST_TYPES = ['status', 'stats', 'events', 'restart', 'stop', 'start', 'startChild', 'stopChild'] as const satisfies readonly ControlRequestType[];
export type ControlFailure = z.infer<typeof ControlFailureSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type NodeStats = z.infer<typeof NodeStatsSchema>;
export type NodeEvents = z.infer<typeof NodeEventsSchema>;
export type ActorStatsWire = z.infer<typeof ActorStatsSchema>;
export type StatsRequest = z.infer<typeof StatsBody>;
export type ChildOutcome = z.infer<typeof ChildOutcomeSchema>;
export type ControlAuth = z.infer<typeof ControlAuthSchema>;
export type ControlAction = 'restart' | 'stop' | 'start' | 'startChild' | 'stopChild';
/** A state-changing request's body; only `startChild` carries a `config`. */
export type TargetRequest = z.infer<typeof StartChildBody>;
