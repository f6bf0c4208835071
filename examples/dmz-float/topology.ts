/**
 * Two organisations on the float path. A keeps its Float in a DMZ node (`a-dmz`) and its
 * BridgeManager, inbox registry and inbox in the internal node (`a-bridge`), which dials out to
 * the Float. B is "direct": its Float runs on its own node beside its BridgeManager (the same
 * actors, no DMZ in between), so B's inbound side needs no second kind of receiver. Each
 * organisation runs over its own RabbitMQ namespace (queue prefix): pass `--namespace` per org,
 * and make the bridge control addresses transient (`controlAddressesOf`).
 *
 * The certificates come from `airlock certs` (see the README's "DMZ float" section), or
 * `makeDemoCertificates()` in memory.
 */
import { child, defineActor, defineTopology, supervisor, type ActorDefinition, type TlsMaterial } from '../../index.ts';
import { PeerInboxProtocol, bridgeControlTransient, bridgeManagerActor, floatActor, inboxRegistryActor, outboundQueueOf, type AuditWriter } from '../../actors/dmz-float/index.ts';

/** One organisation's material: its Float's public identity (sent over the tunnel) and the tunnel's own pair. */
export interface OrgCertificates {
  floatPublic: { key: string; cert: string; trustRoot: string };
  floatTunnel: TlsMaterial;
  bridge: TlsMaterial;
  /** The node's identity toward remote Floats (its QueueConsumers). */
  node: TlsMaterial;
}

export interface OrgPorts {
  /** The Float's public listener (peers dial it). */
  public: number;
  /** The Float's tunnel listener (its BridgeManager dials it). */
  tunnel: number;
  /** The Float's health check; `public + 1` unless given. */
  health?: number;
  /** Where the BridgeManager dials its Float's tunnel (a proxy in tests); `tunnel` unless given. */
  dialTunnel?: number;
  /** Where this organisation's QueueConsumer dials the other's Float; the other's `public` unless given. */
  dialRemote?: number;
}

export interface DmzFloatOptions {
  ports?: { a: OrgPorts; b: OrgPorts };
  /** The inbox actor of each organisation (default: logs each message). */
  inbox?: ActorDefinition<PeerInboxProtocol>;
  /** Where each Float writes its audit lines (default: `<org>-float-audit.jsonl` in the working directory). */
  audit?: (org: string) => { writer?: AuditWriter; file?: string };
  /** Run each BridgeManager (with its registry and inbox) only while its node holds this lease per org (`<org>-bridge`). */
  standby?: boolean;
  /** BridgeManager reconnect backoff and query interval, shorter in tests and the demo. */
  reconnect?: { minMs: number; maxMs: number };
  queryIntervalMs?: number;
}

/**
 * The largest frame the internal nodes' RabbitMQ transport takes (`connectRabbit`'s `maxFrameBytes`),
 * raised from its 1 MiB default so that the path behind each Float carries Corda's 10 MiB
 * `maxMessageSize` whole: 10 MiB of body and 64 KiB for the envelope around it (about 4 KiB at its
 * worst). RabbitMQ itself takes 128 MiB (3.10's `max_message_size`). The BridgeManager is told the
 * same figure, so its Float never admits more than the inbox's transport takes.
 */
export const INBOX_FRAME_BYTES = 10 * 1024 * 1024 + 64 * 1024;

export const DEFAULT_PORTS = { a: { public: 10_443, tunnel: 10_444 }, b: { public: 11_443, tunnel: 11_444 } };

/** The addresses of one organisation, as the topology lays them out. */
export function addressesOf(org: 'a' | 'b') {
  const internalNode = org === 'a' ? 'a-bridge' : 'b-node';
  const bridge = `${internalNode}/bridges`;
  const remote = org === 'a' ? 'b' : 'a';
  return {
    internalNode,
    bridge,
    registry: `${internalNode}/registry`,
    inboxPrefix: `${internalNode}/internal.peers.`,
    inbox: `${internalNode}/internal.peers.main`,
    /** The local queue whose messages go to the other organisation. */
    outbound: outboundQueueOf(bridge, remote),
    float: org === 'a' ? 'a-dmz/float' : 'b-node/float',
  };
}

/** The RabbitMQ transport's `transient` option for an organisation: its bridge control addresses. */
export function controlAddressesOf(org: 'a' | 'b'): (address: string) => boolean {
  const { bridge, registry } = addressesOf(org);
  return bridgeControlTransient(bridge, registry);
}

/** Logs what arrives, with the identity the Float verified. */
const loggingInbox = defineActor({
  protocol: PeerInboxProtocol,
  setup: (ctx) => ({ PeerMessage: ({ peer, bytes }) => ctx.log.info({ peer, bytes: bytes.byteLength }, 'message from a peer') }),
});

function organisation(org: 'a' | 'b', certs: OrgCertificates, ports: OrgPorts, remotePublic: number, options: DmzFloatOptions) {
  const names = addressesOf(org);
  const remote = org === 'a' ? 'b' : 'a';
  const floatConfig = {
    public: { host: '127.0.0.1', port: ports.public },
    tunnel: { host: '127.0.0.1', port: ports.tunnel, tls: certs.floatTunnel, bridgeName: `${org}-bridge` },
    healthCheck: { host: '127.0.0.1', port: ports.health ?? ports.public + 1 },
    audit: options.audit?.(org) ?? { file: `${org}-float-audit.jsonl` },
  };
  const bridgeConfig = {
    float: { host: '127.0.0.1', port: ports.dialTunnel ?? ports.tunnel, expectedName: `${org}-float-tunnel`, tls: certs.bridge },
    publicTls: certs.floatPublic,
    inboxPrefix: names.inboxPrefix,
    inboxMaxFrameBytes: INBOX_FRAME_BYTES,
    registry: names.registry,
    outbound: { tls: certs.node },
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.queryIntervalMs ? { queryIntervalMs: options.queryIntervalMs } : {}),
  };
  const peer = { name: remote, host: '127.0.0.1', port: ports.dialRemote ?? remotePublic, expectedName: `${remote}-float` };
  const registryConfig = { bridgeManager: names.bridge, inboxes: [names.inbox], outbound: [{ queue: names.outbound, peer }] };
  const internal = [
    child('bridges', bridgeManagerActor, { config: bridgeConfig }),
    child('registry', inboxRegistryActor, { config: registryConfig }),
    child('internal.peers.main', options.inbox ?? loggingInbox),
  ];
  return {
    float: child('float', floatActor, { config: floatConfig }),
    internal: options.standby ? internal.map((spec) => ({ ...spec, standby: { lease: `${org}-bridge/${spec.id}` } })) : internal,
  };
}

/** A's Float in the DMZ (a-dmz); B direct (b-node runs its Float beside its bridge). */
export function dmzFloatTopology(a: OrgCertificates, b: OrgCertificates, options: DmzFloatOptions = {}) {
  const ports = options.ports ?? DEFAULT_PORTS;
  const orgA = organisation('a', a, ports.a, ports.b.public, options);
  const orgB = organisation('b', b, ports.b, ports.a.public, options);
  return defineTopology('dmz-float', {
    'a-dmz': supervisor({ children: [orgA.float] }),
    'a-bridge': supervisor({ children: orgA.internal }),
    'b-node': supervisor({ children: [orgB.float, ...orgB.internal] }),
  });
}
