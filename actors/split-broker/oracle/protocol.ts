import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';
import { MAX_REGISTRATION_BYTES } from '../limits.ts';

/**
 * What an edge registrar may send the Oracle, and nothing more: a 2.0 registration's sealed
 * bytes, or a 1.0 body as the opaque string it arrived as. Both are strict objects, so a
 * plaintext field (`offer`, `nat`, …) is a type error at the sender and refused at runtime.
 */
export const SealedRegister = z.strictObject({
  version: z.literal('2.0'),
  sealed: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'sealed bytes').refine((bytes) => bytes.length <= MAX_REGISTRATION_BYTES, `at most ${MAX_REGISTRATION_BYTES} bytes`),
});
export const PlainRegister = z.strictObject({
  version: z.literal('1.0'),
  body: z.string().max(MAX_REGISTRATION_BYTES),
});
export const RegisterRequest = z.discriminatedUnion('version', [SealedRegister, PlainRegister]);
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** Why the Oracle refused a registration (the opener's reasons, and 1.0 while it is switched off). */
export const REFUSALS = ['truncated', 'forged', 'invalid', 'stale', 'replayed', 'plaintext-disabled'] as const;
export type Refusal = (typeof REFUSALS)[number];

/**
 * Snowflake's ClientPollResponse (`answer` or `error`), `sig` for 2.0 registrations whose nonce
 * is known, and `refused` naming the reason when the Oracle refused the registration itself.
 */
export const RegisterReply = z.strictObject({
  answer: z.string().optional(),
  error: z.string().optional(),
  sig: z.string().optional(),
  refused: z.enum(REFUSALS).optional(),
});
export type RegisterReply = z.infer<typeof RegisterReply>;

export const OracleProtocol = defineProtocol('oracle', {
  register: { body: RegisterRequest, reply: RegisterReply },
});
export type OracleProtocol = typeof OracleProtocol;
