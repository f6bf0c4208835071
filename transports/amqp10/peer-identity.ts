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
