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

/**
 * What every node's control actor answers. Each message is asked; a refusal is a reply too
 * (`ok: false` with a typed error code), so a bad request never crashes the control actor.
 * - `status`: the node's supervision tree, or the subtree at `address` (read-only: no `auth`);
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
  restart: { body: TargetBody, reply: ChildReply },
  stop: { body: TargetBody, reply: ChildReply },
  start: { body: TargetBody, reply: ChildReply },
  startChild: { body: StartChildBody, reply: ChildReply },
  stopChild: { body: TargetBody, reply: ChildReply },
});

export type ControlProtocol = typeof Control;
export type ControlRequestType = 'status' | ControlAction;
export const CONTROL_REQUEST_TYPES = ['status', 'restart', 'stop', 'start', 'startChild', 'stopChild'] as const satisfies readonly ControlRequestType[];
export type ControlFailure = z.infer<typeof ControlFailureSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type ChildOutcome = z.infer<typeof ChildOutcomeSchema>;
export type ControlAuth = z.infer<typeof ControlAuthSchema>;
export type ControlAction = 'restart' | 'stop' | 'start' | 'startChild' | 'stopChild';
/** A state-changing request's body; only `startChild` carries a `config`. */
export type TargetRequest = z.infer<typeof StartChildBody>;
