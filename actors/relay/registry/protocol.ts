import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';
import { REFUSAL_CODES } from '../wire/status.ts';

const Identity = z.string().regex(/^[0-9a-f]{64}$/);
/** A circuit's name (its actor's address segment): not secret, unlike the token C accepts it with. */
const Circuit = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const Source = z.string().min(1).max(64);
const Link = z.string().min(1).max(64);
const Grant = z.strictObject({ ttlMs: z.number().int().nonnegative(), maxDurationMs: z.number().int().nonnegative(), maxBytes: z.number().int().nonnegative() });
const Refused = z.strictObject({ ok: z.literal(false), code: z.enum(REFUSAL_CODES as [string, ...string[]]) });
const CircuitEnd = z.enum(['closed', 'bytes', 'duration', 'error', 'relay']);

export const ReserveReply = z.union([
  z.strictObject({ ok: z.literal(true), grant: Grant, expiresAt: z.number(), replaced: Link.optional() }),
  Refused,
]);
export const OpenCircuitReply = z.union([z.strictObject({ ok: z.literal(true), link: Link, grant: Grant }), Refused]);
export const RegistryStatus = z.strictObject({
  reservations: z.number().int(),
  circuits: z.number().int(),
  refusals: z.record(z.string(), z.number()),
  ended: z.record(z.string(), z.number()),
});

/** The registry's protocol: only the relay's listener and circuits talk to it. */
export const RegistryProtocol = defineProtocol('relay-registry', {
  reserve: { body: z.strictObject({ identity: Identity, source: Source, link: Link }), reply: ReserveReply },
  release: { body: z.strictObject({ identity: Identity, link: Link }) },
  openCircuit: { body: z.strictObject({ target: Identity, source: Source, circuit: Circuit }), reply: OpenCircuitReply },
  closeCircuit: { body: z.strictObject({ circuit: Circuit, reason: CircuitEnd }) },
  refused: { body: z.strictObject({ code: z.enum(REFUSAL_CODES as [string, ...string[]]) }) },
  reset: { body: z.strictObject({}), reply: z.literal('reset') },
  status: { body: z.strictObject({}), reply: RegistryStatus },
});
export type RegistryProtocol = typeof RegistryProtocol;
