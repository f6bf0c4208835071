import { z } from 'zod';
import { InvalidMessageError } from '../../../lib/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, MAX_INBOX_PREFIX_CHARS, MAX_MESSAGE_BYTES_CEILING, MAX_PEM_CHARS } from '../limits.ts';

const Pem = z.string().min(1).max(MAX_PEM_CHARS);

/** What the Float's public listener presents and trusts: it lives in the Float's memory only, never on the DMZ's disk. */
export const PublicTls = z.strictObject({ key: Pem, cert: Pem, trustRoot: Pem });
export type PublicTls = z.output<typeof PublicTls>;

/**
 * What the BridgeManager sends on `TUNNEL.control` to activate a Float: the public listener's key
 * and certificate, the root peers must chain to, and the limits. Strict: it is read in the DMZ, and
 * both sides ship together, so a field the Float does not know is an error, not an extension.
 */
export const Activation = PublicTls.extend({
  maxMessageBytes: z.number().int().min(1).max(MAX_MESSAGE_BYTES_CEILING).default(DEFAULT_MAX_MESSAGE_BYTES),
  /** Targets must start with this and add one address segment (e.g. `internal.peers.`). */
  inboxPrefix: z.string().min(1).max(MAX_INBOX_PREFIX_CHARS),
});
export type Activation = z.output<typeof Activation>;
export type ActivationInput = z.input<typeof Activation>;

/** An activation that is not JSON or does not fit the schema: the Float stays inactive. */
export class ActivationRefusedError extends InvalidMessageError {
  constructor(issues: string[]) {
    super('float', 'activate', issues);
  }
}
