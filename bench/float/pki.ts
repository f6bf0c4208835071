import { issueCertificate, makeCertificateAuthority } from '../../transports/amqp10/index.ts';
import type { TlsMaterial } from '../../index.ts';

/** One CA, a server and a client certificate (ECDSA P-256), made once per run: both paths use the same. */
export interface BenchPki {
  server: TlsMaterial & { key: string; cert: string; ca: string };
  client: TlsMaterial & { key: string; cert: string; ca: string };
}

let made: Promise<BenchPki> | undefined;

export function benchPki(): Promise<BenchPki> {
  made ??= (async () => {
    const ca = await makeCertificateAuthority('airlock bench CA');
    const leaf = async (name: string) => {
      const issued = await issueCertificate(ca, { name, ips: ['127.0.0.1'] });
      return { key: issued.keyPem, cert: issued.certPem, ca: ca.certPem };
    };
    return { server: await leaf('float-bench'), client: await leaf('peer-bench') };
  })();
  return made;
}
