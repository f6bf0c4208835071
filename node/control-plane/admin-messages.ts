import { z } from 'zod';
import { CONTROL_REQUEST_TYPES } from './control-protocol.ts';

/** What a client sends on the admin socket: one Control message, tagged so replies can be matched. */
export const AdminRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  type: z.enum(CONTROL_REQUEST_TYPES as ['status', 'restart', 'stop', 'start']),
  body: z.unknown(),
});
export type AdminRequest = z.infer<typeof AdminRequestSchema>;

/** An error as `errorToWire` writes it (code, message, plain fields). */
const ErrorSchema = z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.unknown()).optional() });

/** What the node answers: the control actor's reply, or why the request never reached it. */
export const AdminResponseSchema = z.union([
  z.object({ id: z.number().int().nonnegative(), reply: z.unknown() }),
  // `id` is null when the request was too broken to read its id.
  z.object({ id: z.number().int().nonnegative().nullable(), error: ErrorSchema }),
]);
export type AdminResponse = z.infer<typeof AdminResponseSchema>;
