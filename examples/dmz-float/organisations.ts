/**
 * Runs the DMZ float topology's nodes in one process, as separate nodes would run them: A's DMZ
 * node on its own (the Float needs no broker), A's internal node and B's node each on their own
 * RabbitMQ connection and namespace, the bridge control addresses transient.
 */
import { run, type RunningTopology } from '../../index.ts';
import { OutboundProtocol } from '../../actors/dmz-float/index.ts';
import { connectRabbit, type RabbitTransport } from '../../transports/rabbitmq/index.ts';
import { INBOX_FRAME_BYTES, addressesOf, controlAddressesOf, dmzFloatTopology, type DmzFloatOptions, type OrgCertificates } from './topology.ts';

export interface OrganisationsOptions extends DmzFloatOptions {
  /** The broker: one URL, or a cluster's nodes comma-separated (tried in that order). */
  url: string;
  /** One RabbitMQ namespace per organisation. */
  namespaces: { a: string; b: string };
  certificates: { a: OrgCertificates; b: OrgCertificates };
}

/** One node of the topology running here, with the broker connection it owns. */
export interface RunningNode {
  readonly name: string;
  readonly running: RunningTopology;
  readonly transport: RabbitTransport | undefined;
  stop(): Promise<void>;
}

export class Organisations {
  private readonly started: RunningNode[] = [];
  private readonly topology: ReturnType<typeof dmzFloatTopology>;

  constructor(readonly options: OrganisationsOptions) {
    this.topology = dmzFloatTopology(options.certificates.a, options.certificates.b, options);
  }

  /** Starts a node (again, or a second copy of it: a passive standby when the topology is run with `standby`). */
  async startNode(name: 'a-dmz' | 'a-bridge' | 'b-node'): Promise<RunningNode> {
    const org = name.startsWith('a') ? 'a' : 'b';
    const transport =
      name === 'a-dmz'
        ? undefined
        : await connectRabbit({ urls: this.options.url.split(','), namespace: this.options.namespaces[org], transient: controlAddressesOf(org), maxFrameBytes: INBOX_FRAME_BYTES });
    const running = run(this.topology, { node: name, transport });
    const node: RunningNode = {
      name,
      running,
      transport,
      stop: async () => {
        this.started.splice(this.started.indexOf(node), 1);
        await running.stop({ drainTimeoutMs: 0 });
        await transport?.close();
      },
    };
    this.started.push(node);
    return node;
  }

  /** The three nodes, DMZ first (its Float waits for its BridgeManager to dial in). */
  async startAll(): Promise<{ aDmz: RunningNode; aBridge: RunningNode; bNode: RunningNode }> {
    return { aDmz: await this.startNode('a-dmz'), aBridge: await this.startNode('a-bridge'), bNode: await this.startNode('b-node') };
  }

  /** Puts `bytes` on `from`'s outbound queue for the other organisation's inbox; resolves on the broker's confirm. */
  send(node: RunningNode, from: 'a' | 'b', messageId: string, bytes: Uint8Array): Promise<void> {
    const to = from === 'a' ? 'b' : 'a';
    return node.running.system.ref(addressesOf(from).outbound, OutboundProtocol).tell('Send', { messageId, target: addressesOf(to).inbox, bytes });
  }

  /** Stops every node still running here, last started first. */
  async stopAll(): Promise<void> {
    for (const node of [...this.started].reverse()) await node.stop().catch(() => {});
  }

  /** Every queue the topology's addresses may have declared, per namespace (to delete after a run). */
  static queuesOf(org: 'a' | 'b'): string[] {
    const names = addressesOf(org);
    return [names.bridge, names.registry, names.inbox, names.outbound];
  }
}
