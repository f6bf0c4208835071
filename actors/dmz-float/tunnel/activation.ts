import { z } from 'zod';
import { InvalidMessageError } from '../../../lib/index.ts';

/** The tunnel's link addresses: the BridgeManager opens both, on the one connection it dialled. */
export const TUNNEL = {
  /** The BridgeManager sends `activate` here. */
  control: 'float/control',
  /** The BridgeManager receives the peers' messages here, and accepts each once the local broker has it. */
  inbound: 'float/inbound',
} as const;

/** Properties the Float sets on every forwarded message (a peer's own values are never passed on). */
export const FORWARDED = {
  target: 'x-airlock-target',
  peer: 'x-airlock-peer',
  peerFingerprint: 'x-airlock-peer-sha256',
} as const;

/** Corda's default largest message: 10 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const Pem = z.string().min(1).max(64 * 1024);

/**
 * What the BridgeManager sends to activate a Float: the public listener's key and certificate
 * (which live only in the Float's memory), the root peers must chain to, and the limits.
 */
export const Activation = z.object({
  key: Pem,
  cert: Pem,
  trustRoot: Pem,
  maxMessageBytes: z.number().int().min(1).max(1024 * 1024 * 1024).default(DEFAULT_MAX_MESSAGE_BYTES),
  /** Targets must start with this and add one address segment (e.g. `internal.peers.`). */
  inboxPrefix: z.string().min(1).max(200),
});
export type Activation = z.output<typeof Activation>;
export type ActivationInput = z.input<typeof Activation>;

/** An activation that is not JSON or does not fit the schema: the Float stays inactive. */
export class ActivationRefusedError extends InvalidMessageError {
  constructor(issues: string[]) {
    super('float', 'activate', issues);
  }
}

export function encodeActivation(activation: ActivationInput): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(activation));
}

/** Bytes from the tunnel, validated before use; throws `ActivationRefusedError`. */
export function decodeActivation(bytes: Uint8Array): Activation {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ActivationRefusedError([`not UTF-8 JSON: ${(error as Error).message}`]);
  }
  const result = Activation.safeParse(value);
  if (!result.success) throw new ActivationRefusedError(result.error.issues.map((issue) => `${issue.path.join('.') || '(activation)'}: ${issue.message}`));
  return result.data;
}
