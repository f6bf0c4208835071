/**
 * The key that seals and opens a link: Argon2id (libsodium's crypto_pwhash, ALG_ARGON2ID13) of
 * the passphrase (UTF-8 of its NFC form, so the same words typed on two systems give one key)
 * with the link's own 16-byte salt, 32 bytes, in libsodium's guarded memory.
 */
import sodium, { type SecureBuffer } from 'sodium-native';
import { ConnectionLinkError } from '../errors.ts';
import { DEFAULT_MEM_LIMIT, DEFAULT_OPS_LIMIT, MAX_PASSPHRASE_BYTES } from '../limits.ts';

/** Argon2id's cost: passes over memory, and the memory in bytes. Both parties must use the same. */
export interface KdfStrength {
  opsLimit: number;
  memLimit: number;
}

/** libsodium's INTERACTIVE strength: 2 passes over 64 MiB (see limits.ts for its cost). */
export const DEFAULT_STRENGTH: Readonly<KdfStrength> = Object.freeze({ opsLimit: DEFAULT_OPS_LIMIT, memLimit: DEFAULT_MEM_LIMIT });

/**
 * libsodium's minimum (1 pass over 8 KiB): a derivation costs microseconds, so a guessed
 * passphrase costs an attacker nothing. For specs and simulations only; never for people.
 */
export const INSECURE_TEST_STRENGTH: Readonly<KdfStrength> = Object.freeze({ opsLimit: sodium.crypto_pwhash_OPSLIMIT_MIN, memLimit: sodium.crypto_pwhash_MEMLIMIT_MIN });

/** The largest strength a client accepts: 10 passes over 1 GiB, so a typo in a setting cannot stall a process for minutes. */
const MAX_OPS = 10;
const MAX_MEM = 1024 * 1024 * 1024;

export function checkStrength(strength: KdfStrength): KdfStrength {
  const { opsLimit, memLimit } = strength;
  if (!Number.isInteger(opsLimit) || opsLimit < sodium.crypto_pwhash_OPSLIMIT_MIN || opsLimit > MAX_OPS) throw new ConnectionLinkError(`opsLimit must be ${sodium.crypto_pwhash_OPSLIMIT_MIN}..${MAX_OPS}`);
  if (!Number.isInteger(memLimit) || memLimit < sodium.crypto_pwhash_MEMLIMIT_MIN || memLimit > MAX_MEM) throw new ConnectionLinkError(`memLimit must be ${sodium.crypto_pwhash_MEMLIMIT_MIN}..${MAX_MEM} bytes`);
  return strength;
}

/** The passphrase as the bytes hashed; throws ConnectionLinkError for an empty or overlong one. */
export function passphraseBytes(passphrase: string): Buffer {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new ConnectionLinkError('the passphrase is empty');
  const bytes = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  if (bytes.length > MAX_PASSPHRASE_BYTES) throw new ConnectionLinkError(`the passphrase is over ${MAX_PASSPHRASE_BYTES} bytes`);
  return bytes;
}

/** Derives the secretbox key on libuv's thread pool (the event loop stays free); free it with `sodium.sodium_free`. */
export async function deriveKey(passphrase: Uint8Array, salt: Uint8Array, strength: KdfStrength): Promise<SecureBuffer> {
  const key = sodium.sodium_malloc(sodium.crypto_secretbox_KEYBYTES);
  await sodium.crypto_pwhash_async(key, passphrase, salt, strength.opsLimit, strength.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  return key;
}
