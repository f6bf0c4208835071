import sodium from 'sodium-native';
import { signedAnswerBytes, type ClientPollResponse } from '../wire/index.ts';
import type { OracleKeys } from './keys.ts';

/**
 * Signs the answer to a sealed registration: base64 of the Ed25519 detached signature over
 * UTF-8 `nonce + "\n" + (answer or "") + "\n" + (error or "")`, so a client can tell through
 * any untrusted registrar or cache that the broker answered its own registration.
 */
export function signAnswer(keys: OracleKeys, nonce: string, response: Pick<ClientPollResponse, 'answer' | 'error'>): string {
  // From Node's buffer pool: crypto_sign_detached fills all of it, and a signature is public.
  const signature = Buffer.allocUnsafe(sodium.crypto_sign_BYTES);
  sodium.crypto_sign_detached(signature, signedAnswerBytes(nonce, response), keys.signSecretKey());
  return signature.toString('base64');
}

/** The response a 2.0 client receives: Snowflake's ClientPollResponse plus `sig`. */
export function signedResponse(keys: OracleKeys, nonce: string, response: Pick<ClientPollResponse, 'answer' | 'error'>): ClientPollResponse {
  return { ...response, sig: signAnswer(keys, nonce, response) };
}
