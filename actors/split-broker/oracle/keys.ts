import { closeSync, fstatSync, openSync, readSync, writeFileSync, type Stats } from 'node:fs';
import sodium, { type SecureBuffer } from 'sodium-native';
import { KeyFileError, KeysDisposedError } from './errors.ts';

/** The secret key file: the X25519 secret (32 bytes) then the Ed25519 secret (64 bytes), raw. */
export const SECRET_FILE_BYTES = 32 + 64;

/** The Oracle's public keys, as clients need them (base64 in `oracle.pub`). */
export interface OraclePublicKeys {
  /** X25519: clients seal registrations to it. */
  box: Uint8Array;
  /** Ed25519: clients verify signed answers with it. */
  sign: Uint8Array;
}

/**
 * The Oracle's two key pairs. The secrets live in libsodium's guarded memory (sodium_malloc:
 * locked, never swapped, guard pages) and are zeroed and freed by `dispose()`.
 */
export class OracleKeys {
  private disposed = false;

  private constructor(
    readonly publicKeys: OraclePublicKeys,
    private readonly boxSecret: SecureBuffer,
    private readonly signSecret: SecureBuffer,
  ) {}

  /** Fresh key pairs from libsodium's CSPRNG. */
  static generate(): OracleKeys {
    const box = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
    const sign = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES);
    const boxSecret = sodium.sodium_malloc(sodium.crypto_box_SECRETKEYBYTES);
    const signSecret = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
    sodium.crypto_box_keypair(box, boxSecret);
    sodium.crypto_sign_keypair(sign, signSecret);
    return new OracleKeys({ box, sign }, boxSecret, signSecret);
  }

  /**
   * Loads the secret key file, which must be a regular file owned by this user and readable by
   * no one else (mode 0600 or stricter): the Oracle refuses to start otherwise. The bytes are
   * read straight into secure memory; the public keys are derived from them.
   */
  static load(path: string): OracleKeys {
    const fd = openKeyFile(path);
    try {
      checkKeyFile(path, fstatSync(fd));
      const secrets = sodium.sodium_malloc(SECRET_FILE_BYTES);
      try {
        if (readSync(fd, secrets, 0, SECRET_FILE_BYTES, 0) !== SECRET_FILE_BYTES) {
          throw new KeyFileError(path, 'wrong-size', `must hold exactly ${SECRET_FILE_BYTES} bytes`);
        }
        return OracleKeys.fromSecrets(secrets);
      } finally {
        sodium.sodium_memzero(secrets);
        sodium.sodium_free(secrets);
      }
    } finally {
      closeSync(fd);
    }
  }

  private static fromSecrets(secrets: SecureBuffer): OracleKeys {
    const boxSecret = sodium.sodium_malloc(sodium.crypto_box_SECRETKEYBYTES);
    const signSecret = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
    secrets.copy(boxSecret, 0, 0, 32);
    secrets.copy(signSecret, 0, 32, SECRET_FILE_BYTES);
    const box = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES);
    const sign = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES);
    sodium.crypto_scalarmult_base(box, boxSecret);
    sodium.crypto_sign_ed25519_sk_to_pk(sign, signSecret);
    return new OracleKeys({ box, sign }, boxSecret, signSecret);
  }

  /**
   * Writes the secret key file (mode 0600, refusing to overwrite one) and, beside it, the public
   * file for clients: `{"box": base64, "sign": base64}`. For `airlock keygen`.
   */
  write(secretPath: string, publicPath: string): void {
    const secrets = sodium.sodium_malloc(SECRET_FILE_BYTES);
    try {
      this.boxSecretKey().copy(secrets, 0);
      this.signSecretKey().copy(secrets, 32);
      try {
        writeFileSync(secretPath, secrets, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError(secretPath, 'exists', 'already exists; refusing to overwrite it');
        throw error;
      }
    } finally {
      sodium.sodium_memzero(secrets);
      sodium.sodium_free(secrets);
    }
    writeFileSync(publicPath, `${JSON.stringify(encodePublicKeys(this.publicKeys))}\n`, { mode: 0o644 });
  }

  /** For the Oracle's own modules only: the X25519 secret. */
  boxSecretKey(): SecureBuffer {
    this.assertLive();
    return this.boxSecret;
  }

  /** For the Oracle's own modules only: the Ed25519 secret. */
  signSecretKey(): SecureBuffer {
    this.assertLive();
    return this.signSecret;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Zeroes and frees both secrets; the keys are unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const secret of [this.boxSecret, this.signSecret]) {
      sodium.sodium_memzero(secret);
      sodium.sodium_free(secret);
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new KeysDisposedError();
  }
}

export function encodePublicKeys(keys: OraclePublicKeys): { box: string; sign: string } {
  return { box: Buffer.from(keys.box).toString('base64'), sign: Buffer.from(keys.sign).toString('base64') };
}

function openKeyFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new KeyFileError(path, 'missing', `cannot be opened: ${(error as Error).message}`);
  }
}

function checkKeyFile(path: string, stats: Stats): void {
  if (!stats.isFile()) throw new KeyFileError(path, 'wrong-size', 'is not a regular file');
  if ((stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new KeyFileError(path, 'loose-permissions', `has mode ${mode}; it must be readable by its owner only (chmod 600)`);
  }
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    throw new KeyFileError(path, 'wrong-owner', `is owned by uid ${stats.uid}, not by this user`);
  }
  if (stats.size !== SECRET_FILE_BYTES) throw new KeyFileError(path, 'wrong-size', `must hold exactly ${SECRET_FILE_BYTES} bytes`);
}
