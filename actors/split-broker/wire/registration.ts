import { z } from 'zod';
import { NAT_TYPES } from './nat.ts';
import type { ClientPollResponse } from './client-messages.ts';

/**
 * The plaintext of a sealed (2.0) registration. `nonce` (16 random bytes as 32 lowercase hex
 * characters) names this registration: the Oracle refuses a nonce it has seen and signs its
 * answer over it. `ts` is the client's clock in unix seconds; the Oracle refuses stale ones.
 */
export const Registration = z.strictObject({
  offer: z.string().min(1),
  nat: z.enum(NAT_TYPES),
  fingerprint: z.string().regex(/^(?:[0-9a-fA-F]{2}){20}$|^(?:[0-9a-fA-F]{2}){32}$/),
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  ts: z.number().int().nonnegative(),
});
export type Registration = z.infer<typeof Registration>;

/**
 * The bytes the Oracle signs and a client verifies: UTF-8 of
 * `nonce + "\n" + (answer or "") + "\n" + (error or "")`.
 */
export function signedAnswerBytes(nonce: string, response: Pick<ClientPollResponse, 'answer' | 'error'>): Buffer {
  return Buffer.from(`${nonce}\n${response.answer ?? ''}\n${response.error ?? ''}`, 'utf8');
}
