import sodium from 'sodium-native';
import { realClock } from '../../../lib/ports/clock.ts';
import { encodeSealedBody, validateClientPoll, SnowflakeMessageError, type NatType } from '../wire/index.ts';

export interface SealedRegistration {
  /** The `POST /client` body: `"2.0\n" + base64(sealed box)`. */
  body: string;
  /** The sealed box itself, for methods that carry raw bytes (DNS). */
  sealed: Uint8Array;
  /** Keep it: the answer is signed over it. */
  nonce: string;
}

/**
 * Seals a registration for the Oracle's X25519 public key (a libsodium sealed box): JSON
 * `{offer, nat, fingerprint, nonce, ts}` with a fresh 16-byte nonce and `nowMs` as unix seconds.
 */
export function sealRegistration(
  request: { offer: string; nat: NatType; fingerprint?: string },
  oracleBoxKey: Uint8Array,
  nowMs: number = realClock.now(),
): SealedRegistration {
  const fail = (reason: string) => new SnowflakeMessageError('registration', reason);
  const { offer, nat, fingerprint } = validateClientPoll(request, fail);
  const nonceBytes = Buffer.alloc(16);
  sodium.randombytes_buf(nonceBytes);
  const nonce = nonceBytes.toString('hex');
  const plain = Buffer.from(JSON.stringify({ offer, nat, fingerprint, nonce, ts: Math.floor(nowMs / 1000) }), 'utf8');
  const sealed = Buffer.alloc(plain.length + sodium.crypto_box_SEALBYTES);
  sodium.crypto_box_seal(sealed, plain, oracleBoxKey);
  return { body: encodeSealedBody(sealed), sealed: new Uint8Array(sealed), nonce };
}
