// sodium-native 5 ships no types: only the functions airlock calls are declared here.
declare module 'sodium-native' {
  /** A Buffer in libsodium's guarded, locked memory (sodium_malloc). */
  export interface SecureBuffer extends Buffer {
    readonly secure: true;
  }
  export const crypto_box_PUBLICKEYBYTES: number;
  export const crypto_box_SECRETKEYBYTES: number;
  export const crypto_box_SEALBYTES: number;
  export const crypto_sign_PUBLICKEYBYTES: number;
  export const crypto_sign_SECRETKEYBYTES: number;
  export const crypto_sign_BYTES: number;
  export const crypto_shorthash_BYTES: number;
  export const crypto_shorthash_KEYBYTES: number;
  export function sodium_malloc(size: number): SecureBuffer;
  export function sodium_free(buffer: SecureBuffer): void;
  export function sodium_memzero(buffer: Uint8Array): void;
  export function randombytes_buf(buffer: Uint8Array): void;
  export function crypto_box_keypair(publicKey: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_scalarmult_base(publicKey: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_box_seal(ciphertext: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void;
  export function crypto_box_seal_open(message: Uint8Array, ciphertext: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): boolean;
  export function crypto_sign_keypair(publicKey: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_sign_ed25519_sk_to_pk(publicKey: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_shorthash(out: Uint8Array, input: Uint8Array, key: Uint8Array): void;
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  export const crypto_generichash_BYTES: number;
  export const crypto_pwhash_SALTBYTES: number;
  export const crypto_pwhash_ALG_ARGON2ID13: number;
  export const crypto_pwhash_OPSLIMIT_MIN: number;
  export const crypto_pwhash_MEMLIMIT_MIN: number;
  export const crypto_secretbox_KEYBYTES: number;
  export const crypto_secretbox_NONCEBYTES: number;
  export const crypto_secretbox_MACBYTES: number;
  export function crypto_generichash(out: Uint8Array, input: Uint8Array, key?: Uint8Array): void;
  export function crypto_pwhash(out: Uint8Array, passwd: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number): void;
  /** On libuv's thread pool; resolves when `out` holds the key. */
  export function crypto_pwhash_async(out: Uint8Array, passwd: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number): Promise<void>;
  export function crypto_secretbox_easy(ciphertext: Uint8Array, message: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  export function crypto_secretbox_open_easy(message: Uint8Array, ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}
