/**
 * The Oracle's baseline: raw sodium-native making the calls the Oracle makes for one sealed
 * registration, and doing the checks it must do, in a bare loop (no actor, no mailbox, no
 * messages): crypto_box_seal_open, the plaintext decoded as strict UTF-8 and checked against
 * the same `Registration` schema, its timestamp against the same freshness window, its nonce
 * admitted by the same bounded nonce memory, the Matcher's answer taken from a function (the
 * stub's answer), and the answer signed with crypto_sign_detached and encoded as the wire's
 * base64 `sig`. Whatever the Oracle would refuse, this loop refuses too (it throws).
 */
import sodium from 'sodium-native';
import { NonceMemory, OracleKeys } from '../../actors/split-broker/oracle/index.ts';
import { DEFAULT_FRESHNESS_WINDOW_S, DEFAULT_NONCE_CAPACITY, MAX_REGISTRATION_BYTES } from '../../actors/split-broker/limits.ts';
import { Registration, signedAnswerBytes } from '../../actors/split-broker/wire/index.ts';
import { sealRegistration } from '../../actors/split-broker/client/index.ts';

const OFFER = JSON.stringify({ type: 'offer', sdp: `v=0\r\n${'a=candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host\r\n'.repeat(8)}` });
const WINDOW_MS = DEFAULT_FRESHNESS_WINDOW_S * 1000;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `count` registrations sealed for `keys`, fresh (distinct nonces, timestamps now). */
export function sealedRegistrations(keys: OracleKeys, count: number): Uint8Array[] {
  return Array.from({ length: count }, () => sealRegistration({ offer: OFFER, nat: 'unrestricted' }, keys.publicKeys.box).sealed);
}

/** What the benchmark's Matcher stub answers every offer with. */
const matchStub = (_registration: Registration) => ({ answer: 'sdp answer' });

/** A nonce memory like the Oracle's (the same window and capacity), for `rawAnswer`. */
export const rawNonceMemory = () => new NonceMemory(2 * WINDOW_MS, DEFAULT_NONCE_CAPACITY);

/** The bare loop's work for one sealed registration: the signed reply, or a throw where the Oracle refuses. */
export function rawAnswer(keys: OracleKeys, nonces: NonceMemory, box: Uint8Array): { answer: string; sig: string } {
  if (box.length <= sodium.crypto_box_SEALBYTES || box.length > MAX_REGISTRATION_BYTES) throw new Error('truncated or oversized');
  const plain = Buffer.allocUnsafe(box.length - sodium.crypto_box_SEALBYTES);
  if (!sodium.crypto_box_seal_open(plain, box, keys.publicKeys.box, keys.boxSecretKey())) throw new Error('forged');
  const registration = Registration.parse(JSON.parse(STRICT_UTF8.decode(plain)));
  const now = Date.now();
  if (Math.abs(registration.ts * 1000 - now) > WINDOW_MS) throw new Error('stale');
  if (nonces.admit(registration.nonce, now) !== 'fresh') throw new Error('replayed');
  const answer = matchStub(registration);
  const signature = Buffer.allocUnsafe(sodium.crypto_sign_BYTES);
  sodium.crypto_sign_detached(signature, signedAnswerBytes(registration.nonce, answer), keys.signSecretKey());
  return { ...answer, sig: signature.toString('base64') };
}

/** Registrations opened, validated and answered (signed) per second by the bare loop. */
export function rawOracleRate(keys: OracleKeys, sealed: Uint8Array[]): number {
  const nonces = rawNonceMemory();
  const started = performance.now();
  for (const box of sealed) rawAnswer(keys, nonces, box);
  return sealed.length / ((performance.now() - started) / 1000);
}
