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
  /** The largest message the organisation takes from a peer (Corda's `maxMessageSize`). */
  maxMessageBytes: z.number().int().min(1).max(MAX_MESSAGE_BYTES_CEILING).default(DEFAULT_MAX_MESSAGE_BYTES),
  /**
   * The largest body the path behind the tunnel carries (tunnel → broker → inbox: the inbox
   * transport's frame less the envelope), so the Float never accepts a message the internal node
   * would dead-letter. Absent from a BridgeManager that predates it: `maxMessageBytes` alone then
   * bounds. A Float that predates it refuses an activation carrying it (strict), which is the
   * intent: it could not honour it, so Floats are upgraded before their BridgeManagers.
   */
  pathMaxBodyBytes: z.number().int().min(1).max(MAX_MESSAGE_BYTES_CEILING).optional(),
  /** Targets must start with this and add one address segment (e.g. `internal.peers.`). */
  inboxPrefix: z.string().min(1).max(MAX_INBOX_PREFIX_CHARS),
});
export type Activation = z.output<typeof Activation>;
export type ActivationInput = z.input<typeof Activation>;

/** What the Float admits from a peer, enforces and advertises: the smaller of the two limits an activation names. */
export function admittedBytes(activation: Activation): number {
  return Math.min(activation.maxMessageBytes, activation.pathMaxBodyBytes ?? activation.maxMessageBytes);
}

/** An activation that is not JSON or does not fit the schema: the Float stays inactive. */
export class ActivationRefusedError extends InvalidMessageError {
  constructor(issues: string[]) {
    super('float', 'activate', issues);
  }
}
