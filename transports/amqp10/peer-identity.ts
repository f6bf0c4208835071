import type { PeerCertificate } from 'node:tls';
import type { PeerIdentity } from '../../lib/index.ts';

/** The verified peer certificate, as the Links port names it. */
export function identityOf(certificate: PeerCertificate | undefined): PeerIdentity {
  if (!certificate || !certificate.raw) return { commonName: undefined, altNames: [], fingerprint256: '' };
  const cn = certificate.subject?.CN;
  return {
    commonName: Array.isArray(cn) ? cn[0] : cn,
    altNames: (certificate.subjectaltname ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0),
    fingerprint256: certificate.fingerprint256,
  };
}

/** Every name the identity answers to: SAN values (DNS, URI, IP) and the subject CN. */
export function namesOf(identity: PeerIdentity): string[] {
  const sans = identity.altNames.map((entry) => entry.slice(entry.indexOf(':') + 1));
  return identity.commonName === undefined ? sans : [...sans, identity.commonName];
}

/** Whether the identity carries `expected` (DNS names compare case-insensitively). */
export function carriesName(identity: PeerIdentity, expected: string): boolean {
  const wanted = expected.toLowerCase();
  return namesOf(identity).some((name) => name.toLowerCase() === wanted);
}
