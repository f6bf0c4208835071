import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KeyFileError } from './errors.ts';
import { OracleKeys, type OraclePublicKeys } from './keys.ts';

/** In a key directory: the secrets (owner-only) and the public keys clients need. */
export const ORACLE_SECRET_FILE = 'oracle.key';
export const ORACLE_PUBLIC_FILE = 'oracle.pub';

export const secretKeyPath = (dir: string) => join(dir, ORACLE_SECRET_FILE);
export const publicKeyPath = (dir: string) => join(dir, ORACLE_PUBLIC_FILE);

/**
 * Creates `dir` (mode 0700 when new) and writes fresh Oracle keys into it; refuses to overwrite
 * a secret file (`KeyFileError`, problem `exists`). Returns the public keys.
 */
export function writeKeyDir(dir: string): OraclePublicKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = OracleKeys.generate();
  try {
    keys.write(secretKeyPath(dir), publicKeyPath(dir));
    return { box: new Uint8Array(keys.publicKeys.box), sign: new Uint8Array(keys.publicKeys.sign) };
  } finally {
    keys.dispose();
  }
}

const PublicFile = z.strictObject({ box: z.base64(), sign: z.base64() });

/** Reads `oracle.pub`: what a client seals to and verifies with. */
export function readPublicKeys(dir: string): OraclePublicKeys {
  const path = publicKeyPath(dir);
  let parsed;
  try {
    parsed = PublicFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new KeyFileError(path, 'missing', `is not a public key file: ${(error as Error).message}`);
  }
  const keys = { box: new Uint8Array(Buffer.from(parsed.box, 'base64')), sign: new Uint8Array(Buffer.from(parsed.sign, 'base64')) };
  if (keys.box.length !== 32 || keys.sign.length !== 32) throw new KeyFileError(path, 'wrong-size', 'holds keys of the wrong size');
  return keys;
}
