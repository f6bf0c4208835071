import { Activation, ActivationRefusedError, type ActivationInput } from './activation.ts';

/** The activation as it travels: UTF-8 JSON in one AMQP message body, readable by any AMQP 1.0 tool. */
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
