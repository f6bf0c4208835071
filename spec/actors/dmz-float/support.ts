import { issueCertificate, makeCertificateAuthority, type CertificateAuthority } from '../../../transports/amqp10/index.ts';
import type { TlsMaterial } from '../../../index.ts';
export { freePort, until } from '../../support/fixtures.ts';

/**
 * The certificates of one float deployment, generated per run: the network's CA (peers, the
 * Float's public identity), a foreign CA, and organisation A's own tunnel CA (Float ↔ BridgeManager).
 */
export interface FloatPki {
  network: CertificateAuthority;
  /** The Float's public listener: its key travels only over the tunnel. */
  floatPublic: { key: string; cert: string; trustRoot: string };
  /** Organisation B, a peer of the network. */
  peerB: TlsMaterial;
  /** Organisation B's node, when it receives directly (the outbound bridge's far side). */
  nodeB: TlsMaterial;
  /** A node of the same name with a certificate from another CA. */
  foreign: TlsMaterial;
  /** Organisation A's node identity toward peers (its QueueConsumers). */
  nodeA: TlsMaterial;
  floatTunnel: TlsMaterial;
  bridge: TlsMaterial;
}

let made: Promise<FloatPki> | undefined;

export function floatPki(): Promise<FloatPki> {
  made ??= (async () => {
    const network = await makeCertificateAuthority('airlock network CA');
    const other = await makeCertificateAuthority('another CA');
    const tunnelCa = await makeCertificateAuthority('org A tunnel CA');
    const leaf = async (authority: CertificateAuthority, name: string, trust: CertificateAuthority = network): Promise<TlsMaterial> => {
      const issued = await issueCertificate(authority, { name, dnsNames: ['localhost'], ips: ['127.0.0.1'] });
      return { key: issued.keyPem, cert: issued.certPem, ca: trust.certPem };
    };
    const publicLeaf = await issueCertificate(network, { name: 'float-a', ips: ['127.0.0.1'], role: 'server' });
    return {
      network,
      floatPublic: { key: publicLeaf.keyPem, cert: publicLeaf.certPem, trustRoot: network.certPem },
      peerB: await leaf(network, 'node-b'),
      nodeB: await leaf(network, 'node-b'),
      foreign: await leaf(other, 'node-b'),
      nodeA: await leaf(network, 'node-a'),
      floatTunnel: await leaf(tunnelCa, 'float-a-tunnel', tunnelCa),
      bridge: await leaf(tunnelCa, 'bridge-a', tunnelCa),
    };
  })();
  return made;
}


export const bytes = (text: string) => new TextEncoder().encode(text);
export const text = (data: Uint8Array) => new TextDecoder().decode(data);
export const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));


/** Audit lines, parsed, as the Float wrote them. */
export function auditSink(): { lines: Record<string, unknown>[]; writer: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, writer: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}
