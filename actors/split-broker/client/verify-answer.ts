import sodium from 'sodium-native';
import { decodeClientPollResponse, signedAnswerBytes, type ClientPollResponse } from '../wire/index.ts';
import { AnswerSignatureError } from './errors.ts';

/**
 * Reads a 2.0 response body and returns it only when its `sig` verifies with the Oracle's
 * Ed25519 key over this registration's nonce; otherwise throws `AnswerSignatureError`.
 */
export function verifyAnswer(body: string, nonce: string, oracleSignKey: Uint8Array): ClientPollResponse {
  const response = decodeClientPollResponse(body);
  if (!response.sig) throw new AnswerSignatureError('missing');
  const signature = Buffer.from(response.sig, 'base64');
  const valid =
    signature.length === sodium.crypto_sign_BYTES &&
    signature.toString('base64') === response.sig &&
    sodium.crypto_sign_verify_detached(signature, signedAnswerBytes(nonce, response), oracleSignKey);
  if (!valid) throw new AnswerSignatureError('invalid');
  return response;
}
