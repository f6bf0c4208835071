/**
 * The DMZ float's whole path under the simulation, with the real actors. Inbound: a remote peer
 * (organisation B, host `b-peer`) sends to A's Float (host `a-dmz`), which forwards over the tunnel
 * that A's BridgeManager (host `a-bridge`) dialled out to it; the BridgeManager publishes each message
 * to A's inbox on the durable broker. Outbound: the QueueConsumer the BridgeManager spawns for B
 * consumes A's local queue and sends to B's link. The seed drops, delays, duplicates and reorders
 * broker hops, partitions DMZ from internal and the peer from A, crashes the Float's host and the
 * BridgeManager actor; every message a peer saw settled (or A's broker confirmed) must arrive, once.
 */
import { child, defineActor, supervisor, type ActorDefinition, type LinkSender, type LinkSession } from '../../index.ts';
import { startTree } from '../index.ts';
import type { Scenario, SimNode, SimWorld, Violation } from '../index.ts';
import { BridgeControlProtocol, OutboundProtocol, PeerInboxProtocol, bridgeManagerActor, floatActor, inboxRegistryActor, isFinalRefusal, isRefusal, outboundQueueOf } from '../../actors/dmz-float/index.ts';

const DMZ = 'a-dmz';
const INTERNAL = 'a-bridge';
const PEER = 'b-peer';
const PUBLIC_PORT = 5671;
const TUNNEL_PORT = 5672;
const PEER_PORT = 5671;
const BRIDGE = `${INTERNAL}/bridges`;
const INBOX = `${INTERNAL}/internal.peers.main`;
const OUTBOUND = outboundQueueOf(BRIDGE, 'b');
const INBOUND_MESSAGES = 40;
const OUTBOUND_MESSAGES = 20;

/** What one run saw, on both sides of the float path. */
interface FloatRun {
  /** Peer message ids the Float settled `accepted` to the peer. */
  settled: Set<string>;
  /** Peer message ids refused for good (none should be: every target is a known inbox). */
  refused: Map<string, string>;
  /** Handlings per peer message id by A's inbox, after its dedupe; each must be exactly 1. */
  handled: Map<string, number>;
  /** Outbound message ids whose `tell` A's broker confirmed. */
  outConfirmed: Set<string>;
  /** Outbound message ids as B's receiver got them (B dedupes by id; a copy is not a loss). */
  arrived: Map<string, number>;
}

const runs = new WeakMap<SimWorld, FloatRun>();

const bytesOf = (id: string) => new TextEncoder().encode(`payload of ${id}`);

/** A's inbox: drops a message id it has handled before, as a real inbox does (the other half of exactly once). */
function dedupingInbox(world: SimWorld, run: FloatRun) {
  return defineActor({
    protocol: PeerInboxProtocol,
    setup: () => {
      const seen = new Set<string>();
      return {
        PeerMessage({ messageId, peer }) {
          if (messageId === undefined || seen.has(messageId)) return void world.trace.record('scenario', `inbox drops copy of ${messageId} from ${peer}`);
          seen.add(messageId);
          run.handled.set(messageId, (run.handled.get(messageId) ?? 0) + 1);
          world.trace.record('scenario', `inbox handles ${messageId} from ${peer}`);
        },
      };
    },
  });
}

/** A's Float in the DMZ; its audit lines go to the trace. */
function dmzTree(world: SimWorld) {
  const config = {
    public: { host: DMZ, port: PUBLIC_PORT },
    tunnel: { host: DMZ, port: TUNNEL_PORT, name: 'a-float-tunnel', bridgeName: 'a-bridge' },
    creditPerPeer: 8,
    audit: { writer: (line: string) => world.trace.record('audit', line) },
  };
  return supervisor({ intensity: { maxRestarts: 10, withinMs: 1_000 }, children: [child('float', floatActor, { config })] });
}

/** A's internal node: the BridgeManager (which the seed crashes), the inbox registry and the inbox. */
function internalTree(world: SimWorld, run: FloatRun) {
  const bridgeConfig = {
    float: { host: DMZ, port: TUNNEL_PORT, expectedName: 'a-float-tunnel', name: 'a-bridge' },
    // Simulated identities are names; the Float only keeps these in memory either way.
    publicTls: { key: 'simulated key', cert: 'simulated certificate', trustRoot: 'simulated root' },
    inboxPrefix: `${INTERNAL}/internal.peers.`,
    registry: `${INTERNAL}/registry`,
    queryIntervalMs: 100,
    inboundCredit: 16,
    reconnect: { minMs: 20, maxMs: 200 },
    outbound: { name: 'a' },
  };
  const registryConfig = {
    bridgeManager: BRIDGE,
    inboxes: [INBOX],
    outbound: [{ queue: OUTBOUND, peer: { name: 'b', host: PEER, port: PEER_PORT, expectedName: 'b' } }],
  };
  const bridges = child('bridges', bridgeManagerActor, { config: bridgeConfig });
  // The seed crashes the definition the child runs: the one bound to its config.
  world.crashable(bridges.start as ActorDefinition<BridgeControlProtocol>);
  return supervisor({
    intensity: { maxRestarts: 10, withinMs: 1_000 },
    children: [
      bridges,
      child('registry', inboxRegistryActor, { config: registryConfig }),
      child('internal.peers.main', dedupingInbox(world, run)),
    ],
  });
}

/**
 * B's side of the link to A's Float: a plain AMQP 1.0 peer that sends each message until it is
 * settled `accepted`, again with the same message id after a lost link or a release.
 */
class PeerSender {
  private sender: Promise<LinkSender> | undefined;

  constructor(
    private readonly world: SimWorld,
    private readonly node: SimNode,
    private readonly run: FloatRun,
  ) {}

  send(id: string, attempt = 1): void {
    const link = this.link();
    link.then((sender) => sender.send(bytesOf(id), { messageId: id })).then(
      () => void this.run.settled.add(id),
      (error: unknown) => {
        if (isFinalRefusal(error)) return void this.run.refused.set(id, `${error.condition}: ${error.description}`);
        // A release leaves the link up; anything else (lost, not dialled) needs a new one.
        if (!isRefusal(error) && this.sender === link) this.sender = undefined;
        const backoff = Math.min(200, 10 * 2 ** attempt) + this.world.random.int(20);
        this.world.at(this.world.now + backoff, () => this.send(id, attempt + 1));
      },
    );
  }

  /** One session and sender, shared by every send until the link breaks. */
  private link(): Promise<LinkSender> {
    if (this.sender) return this.sender;
    const opening = this.node.system.links.connect({ host: DMZ, port: PUBLIC_PORT, name: 'b' }).then((session: LinkSession) => {
      void session.closed.then(() => {
        if (this.sender === opening) this.sender = undefined;
      });
      return session.openSender(INBOX);
    });
    this.sender = opening;
    return opening;
  }
}

/** B's receiver for A's outbound bridge: records each message id and accepts it. */
function listenForOutbound(node: SimNode, run: FloatRun): void {
  void node.system.links.listen({ host: PEER, port: PEER_PORT, name: 'b' }, (session) => {
    session.onReceiverOpened(() => ({
      credit: 8,
      onDelivery: (delivery) => {
        const id = delivery.messageId ?? '';
        run.arrived.set(id, (run.arrived.get(id) ?? 0) + 1);
        delivery.accept();
      },
    }));
  });
}

/** Faults at seeded times, in the order of a bad day: tunnel cut, DMZ host lost, BridgeManager crash, peer cut off. */
function scheduleFaults(world: SimWorld): void {
  const tunnelCut = 150 + world.random.int(250);
  const dmzCrash = 600 + world.random.int(300);
  const bridgeCrash = 1_000 + world.random.int(200);
  const peerCut = 1_300 + world.random.int(250);
  world.schedule([
    { at: tunnelCut, kind: 'partition', sides: [[DMZ], [INTERNAL]] },
    { at: tunnelCut + 50 + world.random.int(150), kind: 'heal' },
    { at: dmzCrash, kind: 'crash-node', node: DMZ, restartAfterMs: 50 + world.random.int(200) },
    { at: bridgeCrash, kind: 'crash-actor', node: INTERNAL, address: BRIDGE },
    { at: peerCut, kind: 'partition', sides: [[PEER], [DMZ, INTERNAL]] },
    { at: peerCut + 50 + world.random.int(150), kind: 'heal' },
  ]);
  // The BridgeManager crashes on the next message it handles: the node announcing its outbound queue again.
  world.at(bridgeCrash + 1, () => {
    const registry = world.node(INTERNAL).system.ref(`${INTERNAL}/registry`, BridgeControlProtocol);
    const peer = { name: 'b', host: PEER, port: PEER_PORT, expectedName: 'b' };
    registry.tell('BridgeRequest', { messageId: world.random.id(), outbound: { queue: OUTBOUND, peer } }).catch(() => {});
  });
}

export const dmzFloat: Scenario = {
  name: 'dmz-float',
  description: 'peer → Float → BridgeManager → inbox, and QueueConsumer → peer; broker faults, partitions, DMZ host and BridgeManager crashes',
  world: {
    transport: 'durable',
    calmAt: 2_000,
    faults: { drop: 0.02, duplicate: 0.02, reorder: 0.05, delay: { kind: 'uniform', minMs: 1, maxMs: 10 } },
  },
  setup(world) {
    const run: FloatRun = { settled: new Set(), refused: new Map(), handled: new Map(), outConfirmed: new Set(), arrived: new Map() };
    runs.set(world, run);
    // The node declares its outbound queue before anything is put on it, as it does its durable queues.
    world.broker.declare(OUTBOUND);
    const dmz = dmzTree(world);
    const internal = internalTree(world, run);
    world.addNode(DMZ, (node) => {
      world.watchSupervisor(DMZ, dmz);
      startTree(node.system, dmz, DMZ);
    });
    world.addNode(INTERNAL, (node) => {
      world.watchSupervisor(INTERNAL, internal);
      startTree(node.system, internal, INTERNAL);
    });
    const peer = world.addNode(PEER, (node) => listenForOutbound(node, run));
    const sender = new PeerSender(world, peer, run);
    for (let n = 0; n < INBOUND_MESSAGES; n++) world.at(50 + world.random.int(1_450), () => sender.send(`b-${n}`));
    for (let n = 0; n < OUTBOUND_MESSAGES; n++) {
      const id = `a-${n}`;
      world.at(50 + world.random.int(1_450), () => {
        const queue = world.node(INTERNAL).system.ref(OUTBOUND, OutboundProtocol);
        queue.tell('Send', { messageId: id, target: 'b/inbox', bytes: bytesOf(id) }).then(() => run.outConfirmed.add(id), () => {});
      });
    }
    scheduleFaults(world);
  },
  // Beyond the built-in invariants: the peer's settled messages reach the inbox exactly once; every
  // message the peer sent is settled once the faults healed; A's confirmed outbound messages reach B.
  check(world) {
    const run = runs.get(world)!;
    const violations: Violation[] = [];
    const report = (invariant: string, ids: string[], what: string) => {
      if (ids.length > 0) violations.push({ invariant, detail: `${ids.length} ${what} (first: ${ids.slice(0, 5).join(', ')})`, subjects: [] });
    };
    report('float-settled-not-lost', [...run.settled].filter((id) => !run.handled.has(id)), 'settled to the peer but never handled by the inbox');
    report('float-handled-once', [...run.handled].filter(([, count]) => count !== 1).map(([id]) => id), 'handled more than once by the inbox');
    report('float-refused', [...run.refused].map(([id, why]) => `${id} (${why})`), 'refused although they target a known inbox');
    const peerIds = Array.from({ length: INBOUND_MESSAGES }, (_, n) => `b-${n}`);
    report('float-bounded-completion', peerIds.filter((id) => !run.settled.has(id) && !run.refused.has(id)), 'sent by the peer but never settled');
    report('bridge-confirmed-not-lost', [...run.outConfirmed].filter((id) => !run.arrived.has(id)), 'confirmed by the broker but never reached the peer');
    return violations;
  },
};
