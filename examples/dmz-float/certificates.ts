/**
 * The certificates of the DMZ float example, made in memory (what `airlock certs` writes to
 * files): one network CA that every organisation's public identities chain to, and per
 * organisation a private tunnel CA for its Float ↔ BridgeManager link.
 */
import { issueCertificate, makeCertificateAuthority, type CertificateAuthority } from '../../transports/amqp10/index.ts';
import type { OrgCertificates } from './topology.ts';

/** Both organisations' material, under one freshly made network CA. */
export async function makeDemoCertificates(): Promise<{ a: OrgCertificates; b: OrgCertificates }> {
  const network = await makeCertificateAuthority('airlock demo network CA');
  return { a: await organisationCertificates(network, 'a'), b: await organisationCertificates(network, 'b') };
}

/**
 * One organisation: `<org>-float` (the Float's public listener: its key goes over the tunnel, never
 * to the DMZ's disk), `<org>-node` (its QueueConsumers toward other Floats), and on its own tunnel
 * CA `<org>-float-tunnel` and `<org>-bridge`.
 */
export async function organisationCertificates(network: CertificateAuthority, org: string): Promise<OrgCertificates> {
  const tunnelCa = await makeCertificateAuthority(`${org} tunnel CA`);
  const loopback = { dnsNames: ['localhost'], ips: ['127.0.0.1'] };
  const floatPublic = await issueCertificate(network, { name: `${org}-float`, ...loopback, role: 'server' });
  const node = await issueCertificate(network, { name: `${org}-node`, ...loopback, role: 'client' });
  const floatTunnel = await issueCertificate(tunnelCa, { name: `${org}-float-tunnel`, ...loopback, role: 'server' });
  const bridge = await issueCertificate(tunnelCa, { name: `${org}-bridge`, ...loopback, role: 'client' });
  return {
    floatPublic: { key: floatPublic.keyPem, cert: floatPublic.certPem, trustRoot: network.certPem },
    node: { key: node.keyPem, cert: node.certPem, ca: network.certPem },
    floatTunnel: { key: floatTunnel.keyPem, cert: floatTunnel.certPem, ca: tunnelCa.certPem },
    bridge: { key: bridge.keyPem, cert: bridge.certPem, ca: tunnelCa.certPem },
  };
}
