import { z } from 'zod';
import { CONTROL_REQUEST_TYPES } from './control-protocol.ts';

/**
 * A request's tag: an integer from 0 to 2^53 - 1 (zod's `int()` takes safe integers only), the
 * ids both ends read back exactly; msgpack may carry larger integers, or floats like 1e300,
 * that a double cannot echo. The server checks ids with it, the client reads answers with it.
 */
export const AdminId = z.number().int().nonnegative();

/** What a client sends on the admin socket: one Control message, tagged so replies can be matched. */
export const AdminRequestSchema = z.object({
  id: AdminId,
  type: z.enum(CONTROL_REQUEST_TYPES),
  body: z.unknown(),
});
export type AdminRequest = z.infer<typeof AdminRequestSchema>;

/** An error as `errorToWire` writes it (code, message, plain fields). */
const ErrorSchema = z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.unknown()).optional() });

/** What the node answers: the control actor's reply, or why the request never reached it. */
export const AdminResponseSchema = z.union([
  z.object({ id: AdminId, reply: z.unknown() }),
  // `id` is null when the request was too broken to read its id, or its id is not an `AdminId`.
  z.object({ id: AdminId.nullable(), error: ErrorSchema }),
]);
export type AdminResponse = z.infer<typeof AdminResponseSchema>;
