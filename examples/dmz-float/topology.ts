/**
 * Two organisations on the float path. A keeps its Float in a DMZ node (`a-dmz`) and its
 * BridgeManager, inbox registry and inbox in the internal node (`a-bridge`), which dials out to
 * the Float. B is "direct": its Float runs on its own node beside its BridgeManager (the same
 * actors, no DMZ in between), so B's inbound side needs no second kind of receiver. Each
 * organisation runs over its own RabbitMQ namespace (queue prefix): pass `--namespace` per org.
 *
 * The certificates come from `airlock certs` (see the README's "DMZ float" section).
 */
import { child, defineActor, defineTopology, supervisor, type TlsMaterial } from '../../index.ts';
import { inboxRegistry } from '../../actors/bridge-control/inbox-registry.ts';
import { PeerInbox, outboundQueueOf } from '../../actors/bridge-control/protocol.ts';
import { bridgeManager } from '../../actors/bridge-manager/bridge-manager.ts';
import { float } from '../../actors/float/float.ts';

/** One organisation's material: its Float's public identity (sent over the tunnel) and the tunnel's own pair. */
export interface OrgCertificates {
  floatPublic: { key: string; cert: string; trustRoot: string };
  floatTunnel: TlsMaterial;
  bridge: TlsMaterial;
  /** The node's identity toward remote Floats (its QueueConsumers). */
  node: TlsMaterial;
}

export interface OrgPorts {
  public: number;
  tunnel: number;
}

/** Logs what arrives, with the identity the Float verified. */
const inbox = defineActor({
  protocol: PeerInbox,
  setup: (ctx) => ({ PeerMessage: ({ peer, bytes }) => ctx.log.info({ peer, bytes: bytes.byteLength }, 'message from a peer') }),
});

function organisation(name: string, internalNode: string, certs: OrgCertificates, ports: OrgPorts, remote: { name: string; port: number }) {
  const prefix = `${internalNode}/internal.peers.`;
  const bridgeAddress = `${internalNode}/bridges`;
  const floatConfig = {
    public: { host: '127.0.0.1', port: ports.public },
    tunnel: { host: '127.0.0.1', port: ports.tunnel, tls: certs.floatTunnel },
    healthCheck: { host: '127.0.0.1', port: ports.public + 1, phrase: 'ISALIVE' },
    audit: { file: `${name}-float-audit.jsonl` },
  };
  const bridgeConfig = {
    float: { host: '127.0.0.1', port: ports.tunnel, expectedName: `${name}-float-tunnel`, tls: certs.bridge },
    publicTls: certs.floatPublic,
    inboxPrefix: prefix,
    registry: `${internalNode}/registry`,
    outbound: { tls: certs.node },
  };
  const peer = { name: remote.name, host: '127.0.0.1', port: remote.port, expectedName: `${remote.name}-float` };
  const registryConfig = {
    bridgeManager: bridgeAddress,
    inboxes: [`${prefix}main`],
    outbound: [{ queue: outboundQueueOf(bridgeAddress, remote.name), peer }],
  };
  return {
    float: child('float', float, { config: floatConfig }),
    internal: [child('bridges', bridgeManager, { config: bridgeConfig }), child('registry', inboxRegistry, { config: registryConfig }), child('internal.peers.main', inbox)],
  };
}

/** A's Float in the DMZ (a-dmz); B direct (b-node runs its Float beside its bridge). */
export function dmzFloatTopology(a: OrgCertificates, b: OrgCertificates) {
  const orgA = organisation('a', 'a-bridge', a, { public: 10_443, tunnel: 10_444 }, { name: 'b', port: 11_443 });
  const orgB = organisation('b', 'b-node', b, { public: 11_443, tunnel: 11_444 }, { name: 'a', port: 10_443 });
  return defineTopology('dmz-float', {
    'a-dmz': supervisor({ children: [orgA.float] }),
    'a-bridge': supervisor({ children: orgA.internal }),
    'b-node': supervisor({ children: [orgB.float, ...orgB.internal] }),
  });
}
