/**
 * The certificates of the AMQP 1.0 rows, generated per run (as the DMZ float specs do): one CA,
 * a server leaf (the Float's public identity, `float-fuzz`, for 127.0.0.1) and a client leaf (a
 * network peer, `peer-fuzz`). The attacker holds a valid certificate: the rows attack what comes
 * after authentication, where a peer of the network is still a stranger.
 */
import { issueCertificate, makeCertificateAuthority, type TlsMaterial } from '../internal.ts';

export const SERVER_NAME = 'float-fuzz';

export interface FuzzPki {
  server: TlsMaterial;
  client: TlsMaterial;
}

let made: Promise<FuzzPki> | undefined;

export function fuzzPki(): Promise<FuzzPki> {
  made ??= (async () => {
    const ca = await makeCertificateAuthority('airlock fuzz CA');
    const leaf = async (name: string): Promise<TlsMaterial> => {
      const issued = await issueCertificate(ca, { name, dnsNames: ['localhost'], ips: ['127.0.0.1'] });
      return { key: issued.keyPem, cert: issued.certPem, ca: ca.certPem };
    };
    return { server: await leaf(SERVER_NAME), client: await leaf('peer-fuzz') };
  })();
  return made;
}
