/**
 * A sealed link, exactly SEALED_LINK_BYTES (240) long, all the server ever holds:
 *
 *   offset  size  field
 *   0       1     version = 0x01
 *   1       16    salt: random, Argon2id's salt for this link
 *   17      24    nonce: random, crypto_secretbox's (XSalsa20-Poly1305)
 *   41      199   crypto_secretbox_easy(plaintext, nonce, key): the 16-byte Poly1305 tag, then the
 *                 183 bytes of the padded connection link (connection-link.ts) encrypted
 *
 * key = crypto_pwhash(32 bytes, passphrase, salt, opsLimit, memLimit, ALG_ARGON2ID13). Without
 * the passphrase the bytes are random-looking and all of one length.
 */
import sodium from 'sodium-native';
import { NONCE_BYTES, PLAINTEXT_BYTES, SALT_BYTES, SEALED_LINK_BYTES, SEALED_LINK_VERSION } from '../limits.ts';
import { decodeConnectionLink, encodeConnectionLink, type ConnectionLink } from './connection-link.ts';
import { checkStrength, DEFAULT_STRENGTH, deriveKey, passphraseBytes, type KdfStrength } from './passphrase-key.ts';

const SALT_AT = 1;
const NONCE_AT = SALT_AT + SALT_BYTES;
const BOX_AT = NONCE_AT + NONCE_BYTES;

/** What the server checks of a link it is given: the length and the version byte (the rest it cannot read). */
export function sealedLinkProblem(bytes: Uint8Array): 'LINK_SIZE' | 'LINK_FORMAT' | undefined {
  if (bytes.length !== SEALED_LINK_BYTES) return 'LINK_SIZE';
  if (bytes[0] !== SEALED_LINK_VERSION) return 'LINK_FORMAT';
  return undefined;
}

/** Seals `link` under `passphrase`; throws ConnectionLinkError for a link, passphrase or strength outside the format. */
export async function sealLink(link: ConnectionLink, passphrase: string, strength: KdfStrength = DEFAULT_STRENGTH): Promise<Buffer> {
  const plaintext = encodeConnectionLink(link);
  const secret = passphraseBytes(passphrase);
  checkStrength(strength);
  const sealed = Buffer.alloc(SEALED_LINK_BYTES);
  sealed[0] = SEALED_LINK_VERSION;
  const salt = sealed.subarray(SALT_AT, NONCE_AT);
  const nonce = sealed.subarray(NONCE_AT, BOX_AT);
  sodium.randombytes_buf(salt);
  sodium.randombytes_buf(nonce);
  const key = await deriveKey(secret, salt, strength);
  try {
    sodium.crypto_secretbox_easy(sealed.subarray(BOX_AT), plaintext, nonce, key);
  } finally {
    sodium.sodium_free(key);
    sodium.sodium_memzero(plaintext);
    sodium.sodium_memzero(secret);
  }
  return sealed;
}

/** The link in `sealed` if `passphrase` opens it (and its plaintext is a well-formed link), else undefined. */
export async function openLink(sealed: Uint8Array, passphrase: string, strength: KdfStrength = DEFAULT_STRENGTH): Promise<ConnectionLink | undefined> {
  const secret = passphraseBytes(passphrase);
  checkStrength(strength);
  try {
    return await openWith(sealed, secret, strength);
  } finally {
    sodium.sodium_memzero(secret);
  }
}

/** Tries each link, this many at once (libuv's default thread pool: each derivation takes one thread). */
const AT_ONCE = 4;

/**
 * The accepter's search: tries every sealed link of a bucket (each has its own salt, so one
 * Argon2id derivation each), four at a time, and returns the first that opens, or undefined.
 * `tried` counts the derivations it paid for.
 */
export async function openAny(sealed: readonly Uint8Array[], passphrase: string, strength: KdfStrength = DEFAULT_STRENGTH): Promise<{ link: ConnectionLink | undefined; tried: number }> {
  const secret = passphraseBytes(passphrase);
  checkStrength(strength);
  try {
    for (let at = 0; at < sealed.length; at += AT_ONCE) {
      const batch = sealed.slice(at, at + AT_ONCE);
      const opened = await Promise.all(batch.map((bytes) => openWith(bytes, secret, strength)));
      const index = opened.findIndex((link) => link !== undefined);
      if (index >= 0) return { link: opened[index], tried: at + batch.length };
    }
    return { link: undefined, tried: sealed.length };
  } finally {
    sodium.sodium_memzero(secret);
  }
}

async function openWith(sealed: Uint8Array, secret: Uint8Array, strength: KdfStrength): Promise<ConnectionLink | undefined> {
  if (sealedLinkProblem(sealed) !== undefined) return undefined;
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const key = await deriveKey(secret, bytes.subarray(SALT_AT, NONCE_AT), strength);
  const plaintext = Buffer.alloc(PLAINTEXT_BYTES);
  try {
    if (!sodium.crypto_secretbox_open_easy(plaintext, bytes.subarray(BOX_AT), bytes.subarray(NONCE_AT, BOX_AT), key)) return undefined;
    return decodeConnectionLink(plaintext);
  } finally {
    sodium.sodium_free(key);
    sodium.sodium_memzero(plaintext);
  }
}
