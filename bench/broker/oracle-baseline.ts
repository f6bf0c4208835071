/**
 * The Oracle's baseline: raw sodium-native making the calls the Oracle makes for one sealed
 * registration — crypto_box_seal_open, the plaintext parsed and checked against the same
 * `Registration` schema, the nonce looked up and remembered, and the answer signed with
 * crypto_sign_detached — in a bare loop, no actor, no mailbox, no messages.
 */
import sodium from 'sodium-native';
import { OracleKeys } from '../../actors/oracle/index.ts';
import { Registration, signedAnswerBytes } from '../../actors/snowflake/index.ts';
import { sealRegistration } from '../../clients/index.ts';

const OFFER = JSON.stringify({ type: 'offer', sdp: `v=0\r\n${'a=candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host\r\n'.repeat(8)}` });

/** `count` registrations sealed for `keys`, fresh (distinct nonces, timestamps now). */
export function sealedRegistrations(keys: OracleKeys, count: number): Uint8Array[] {
  return Array.from({ length: count }, () => sealRegistration({ offer: OFFER, nat: 'unrestricted' }, keys.publicKeys.box).sealed);
}

/** Registrations opened, validated and answered (signed) per second by the bare loop. */
export function rawOracleRate(keys: OracleKeys, sealed: Uint8Array[]): number {
  const seen = new Map<string, number>();
  const signature = Buffer.alloc(sodium.crypto_sign_BYTES);
  const started = performance.now();
  for (const box of sealed) {
    const plain = Buffer.alloc(box.length - sodium.crypto_box_SEALBYTES);
    if (!sodium.crypto_box_seal_open(plain, box, keys.publicKeys.box, keys.boxSecretKey())) throw new Error('forged');
    const registration = Registration.parse(JSON.parse(plain.toString('utf8')));
    if (seen.has(registration.nonce)) throw new Error('replayed');
    seen.set(registration.nonce, registration.ts);
    sodium.crypto_sign_detached(signature, signedAnswerBytes(registration.nonce, { answer: 'sdp answer' }), keys.signSecretKey());
  }
  return sealed.length / ((performance.now() - started) / 1000);
}
