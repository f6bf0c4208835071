import { z } from 'zod';
import { AirlockError, type ErrorCode } from '../../lib/index.ts';
import { CONTROL_REQUEST_TYPES } from './control-protocol.ts';

/** What a client sends on the admin socket: one Control message, tagged so replies can be matched. */
export const AdminRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  type: z.enum(CONTROL_REQUEST_TYPES as ['status', 'restart', 'stop', 'start']),
  body: z.unknown(),
});
export type AdminRequest = z.infer<typeof AdminRequestSchema>;

const ErrorSchema = z.object({ code: z.string(), message: z.string() });

/** What the node answers: the control actor's reply, or why the request never reached it. */
export const AdminResponseSchema = z.union([
  z.object({ id: z.number().int().nonnegative(), reply: z.unknown() }),
  // `id` is null when the request was too broken to read its id.
  z.object({ id: z.number().int().nonnegative().nullable(), error: ErrorSchema }),
]);
export type AdminResponse = z.infer<typeof AdminResponseSchema>;

export function errorPayload(error: unknown): { code: string; message: string } {
  if (error instanceof AirlockError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Rebuilds an error that came back as `{ code, message }`, keeping its code for callers to branch on. */
export function errorFromPayload(payload: { code: string; message: string }): AirlockError {
  return new AirlockError(payload.code as ErrorCode, payload.message);
}
