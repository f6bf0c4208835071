import { issueCertificate, makeCertificateAuthority, type CertificateAuthority } from '../../../../transports/amqp10/index.ts';
import type { TlsMaterial } from '../../../../internal.ts';

/** Certificates the specs use: a trusted CA with a server and a client, and a second, foreign CA. */
export interface Pki {
  ca: CertificateAuthority;
  server: TlsMaterial;
  client: TlsMaterial;
  foreign: TlsMaterial;
}

let made: Promise<Pki> | undefined;

/** Generated once per run (real ECDSA P-256 chains), shared by the specs. */
export function pki(): Promise<Pki> {
  made ??= (async () => {
    const ca = await makeCertificateAuthority('airlock spec CA');
    const other = await makeCertificateAuthority('another CA');
    const material = async (authority: CertificateAuthority, name: string): Promise<TlsMaterial> => {
      const leaf = await issueCertificate(authority, { name, ips: ['127.0.0.1'] });
      return { key: leaf.keyPem, cert: leaf.certPem, ca: ca.certPem };
    };
    return { ca, server: await material(ca, 'float-a'), client: await material(ca, 'node-b'), foreign: await material(other, 'node-b') };
  })();
  return made;
}
