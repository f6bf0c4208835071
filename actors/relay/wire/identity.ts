import { createHash, X509Certificate } from 'node:crypto';
import { IDENTITY_BYTES } from '../limits.ts';

/**
 * A party's identity: SHA-256 over its certificate's SubjectPublicKeyInfo (DER), as 64 lowercase
 * hex characters. It names the key, not the certificate: a party may re-issue its certificate
 * (new dates, names) and keep its identity, and nobody can present the identity without the key.
 */
export type Identity = string;

const IDENTITY_PATTERN = /^[0-9a-f]{64}$/;

export function isIdentity(value: string): value is Identity {
  return IDENTITY_PATTERN.test(value);
}

/** The identity of a certificate (PEM, DER, or Node's parsed certificate). */
export function identityOf(certificate: string | Uint8Array | X509Certificate): Identity {
  const parsed = certificate instanceof X509Certificate ? certificate : new X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate));
  const spki = parsed.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

export function identityBytes(identity: Identity): Buffer {
  if (!isIdentity(identity)) throw new TypeError(`an identity is ${IDENTITY_BYTES * 2} lowercase hex characters`);
  return Buffer.from(identity, 'hex');
}
