/**
 * The ciphertext relay under faults: a `relay` node (the relay's tree), a party C on node `c`
 * behind NAT (it only dials out: `attach`), and sessions from a party B on node `b` (`connect`),
 * all over the simulated network, with real TLS 1.3 end to end over the relayed bytes. Links are
 * cut off by partitions (relay|c, relay|b), one live circuit's actor crashes (that circuit's link
 * drops), and the relay's listener crashes once, ending every registration link and circuit it held. Each session sends numbered lines; C acknowledges each.
 *
 * Invariants: what C received in a session is exactly lines 0..k−1, once each and in order; every
 * line B saw acknowledged is among them; no session is left open at either end when the run ends
 * (a session either completes or fails visibly on both sides); the session begun after the
 * faults healed completes (C re-attached on its own).
 *
 * The certificates are made once per process, at load; keys and TLS randomness only fill bytes:
 * the trace counts hops, never their sizes, so one seed gives one trace.
 */
import { defineTopology, RunningTopology } from '../../index.ts';
import type { ActorDefinition, AnyProtocol, Clock, Network, Random, SupervisorSpec } from '../../index.ts';
import { provideDynamicSupervisors } from '../../lib/index.ts';
import { topologyDynamicSupervisors } from '../../node/index.ts';
import { startTree } from '../index.ts';
import type { Scenario, ScheduledFault, SimWorld, Violation } from '../index.ts';
import { issueCertificate, makeCertificateAuthority } from '../../transports/amqp10/index.ts';
import { attach, CircuitProtocol, connect, identityOf, ListenerProtocol, relayTree, type Attachment, type PartyTls, type RelayedStream } from '../../actors/relay/index.ts';

const RELAY = { host: 'relay', tcp: 7000, tls: 7001 };
const SESSIONS = 4;
const LINES = 5;
/** The session after calm: it must complete. */
const FINAL = SESSIONS;
const CALM_AT = 2_000;

const pki = await (async () => {
  const ca = await makeCertificateAuthority('relay sim CA');
  const leaf = async (name: string, dnsNames: string[] = []): Promise<PartyTls> => {
    const issued = await issueCertificate(ca, { name, dnsNames });
    return { key: issued.keyPem, cert: issued.certPem };
  };
  return { ca: ca.certPem, relay: await leaf('relay'), c: await leaf('party-c'), b: await leaf('party-b') };
})();

type BState = 'connecting' | 'open' | 'complete' | 'failed' | 'refused';
interface Session {
  b: BState;
  acked: number[];
  /** What C received, in order; undefined while C never saw the session. */
  received?: number[];
  cOpen?: boolean;
}

const runs = new WeakMap<SimWorld, { sessions: Session[]; attachment?: Attachment }>();

function ports(world: SimWorld, host: string): { network: Network; clock: Clock; random: Random } {
  return { network: world.network.portFor(host), clock: world.scheduler, random: world.random };
}

/** C's service: each line `s<session> m<n>` is recorded and acknowledged `ack <n>`. */
function serve(sessions: Session[], stream: RelayedStream): void {
  let buffered = '';
  let session: Session | undefined;
  stream.on('error', () => {});
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const [, s, n] = /^s(\d+) m(\d+)$/.exec(line) ?? [];
      if (s === undefined) continue;
      session ??= sessions[Number(s)];
      if (!session) continue;
      session.received ??= [];
      session.cOpen = true;
      session.received.push(Number(n));
      stream.write(`ack ${n}\n`);
    }
  });
  stream.on('end', () => stream.destroy());
  stream.once('close', () => {
    if (session) session.cOpen = false;
  });
}

/** One session of B: connect, send the lines with seeded gaps, end once all are acknowledged. */
function startSession(world: SimWorld, sessions: Session[], index: number, identity: string, retries: number): void {
  const session = sessions[index]!;
  session.b = 'connecting';
  connect({ host: RELAY.host, port: RELAY.tcp }, identity, pki.b, { ...ports(world, 'b'), timeoutMs: 5_000 }).then(
    (stream) => {
      session.b = 'open';
      let buffered = '';
      stream.on('error', () => {});
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
          session.acked.push(Number(buffered.slice(4, newline)));
          buffered = buffered.slice(newline + 1);
        }
        if (session.acked.length === LINES && session.b === 'open') {
          session.b = 'complete';
          stream.destroy();
        }
      });
      const over = () => {
        if (session.b === 'open') session.b = 'failed';
        stream.destroy();
      };
      stream.once('end', over);
      stream.once('close', over);
      let sent = 0;
      const next = () => {
        if (sent === LINES || stream.destroyed) return;
        stream.write(`s${index} m${sent++}\n`);
        world.at(world.now + world.random.int(60), next);
      };
      next();
    },
    () => {
      session.b = 'refused';
      if (retries > 0) world.at(world.now + 200, () => startSession(world, sessions, index, identity, retries - 1));
    },
  );
}

function crashable(world: SimWorld, tree: SupervisorSpec, id: string): void {
  const spec = tree.children.find((c) => c.id === id)!;
  const start = spec.start as ActorDefinition<AnyProtocol> | SupervisorSpec;
  // A dynamic supervisor: its template is what each child runs.
  world.crashable(('dynamic' in start && start.dynamic ? start.dynamic.template.start : start) as ActorDefinition<AnyProtocol>);
}

export const relayScenario: Scenario = {
  name: 'relay',
  description: 'B reaches C through the ciphertext relay, TLS end to end; partitions, a circuit and the listener crash',
  world: {
    transport: 'in-process',
    calmAt: CALM_AT,
    settleWithinMs: 8_000,
    faults: { delay: { kind: 'exponential', meanMs: 2, maxMs: 30 } },
  },
  setup(world) {
    const sessions: Session[] = Array.from({ length: SESSIONS + 1 }, () => ({ b: 'connecting' as BState, acked: [] }));
    const run: { sessions: Session[]; attachment?: Attachment } = { sessions };
    runs.set(world, run);
    const tree = relayTree({
      tcp: { host: RELAY.host, port: RELAY.tcp },
      tls: { host: RELAY.host, port: RELAY.tls, ...pki.relay },
      listener: { handshakeDeadlineMs: 2_000, acceptDeadlineMs: 1_000, refusalLingerMs: 100 },
    });
    crashable(world, tree, 'listener');
    crashable(world, tree, 'circuits');
    let relayRunning: RunningTopology | undefined;
    world.addNode('relay', (node) => {
      world.watchSupervisor('relay', tree as never);
      const root = startTree(node.system, tree, 'relay');
      // The listener starts circuits through `ctx.dynamicSupervisor`, which `run()` provides; a simulated node provides it here.
      relayRunning = new RunningTopology(defineTopology('relay-sim', { relay: tree }), node.system, new Map([['relay', root]]));
      provideDynamicSupervisors(node.system, topologyDynamicSupervisors(relayRunning));
    });
    const bNode = world.addNode('b', () => {});
    world.addNode('c', () => {});
    const identity = identityOf(pki.c.cert);
    world.at(10, () => {
      const attachment = attach({ host: RELAY.host, port: RELAY.tcp, tlsPort: RELAY.tls, ca: pki.ca, servername: 'relay' }, pki.c, { ...ports(world, 'c'), reconnect: { minMs: 50, maxMs: 400 } });
      run.attachment = attachment;
      attachment.on('stream', (stream) => serve(sessions, stream));
    });
    for (let index = 0; index < SESSIONS; index += 1) world.at(100 + world.random.int(1_700), () => startSession(world, sessions, index, identity, 0));
    world.at(CALM_AT + 300, () => startSession(world, sessions, FINAL, identity, 20));
    // Everything is over well before the settle bound: C detaches, so the world can go idle.
    world.at(CALM_AT + 6_000, () => run.attachment?.close());

    // The listener crashes on the next message it handles: a status asked at a seeded moment.
    world.at(300 + world.random.int(1_400), () => {
      world.crashActor('relay/listener');
      bNode.system.ref('relay/listener', ListenerProtocol).ask('status', {}).catch(() => {});
    });
    // A link drops: one live circuit's actor crashes (on a status asked at a seeded moment), ending that circuit's two streams only.
    world.at(200 + world.random.int(1_600), () => {
      const live = relayRunning?.supervisor('relay/circuits').whichChildren() ?? [];
      if (live.length === 0) return;
      const { address } = live[world.random.int(live.length)]!;
      world.crashActor(address);
      bNode.system.ref(address, CircuitProtocol).ask('status', {}).catch(() => {});
    });
    const cut = (host: string, at: number): ScheduledFault[] => [
      { at, kind: 'partition', sides: [['relay'], [host]] },
      { at: at + 50 + world.random.int(300), kind: 'heal' },
    ];
    world.schedule([...cut('c', 200 + world.random.int(600)), ...cut('b', 1_000 + world.random.int(600))]);
  },
  check(world) {
    const { sessions } = runs.get(world)!;
    const out: Violation[] = [];
    const violation = (invariant: string, detail: string) => out.push({ invariant, detail, subjects: [] });
    sessions.forEach((session, index) => {
      const received = session.received ?? [];
      if (received.some((n, i) => n !== i)) violation('relay-once-in-order', `session ${index}: C received ${received.join(',')}`);
      if (session.acked.some((n, i) => n !== i) || session.acked.length > received.length) violation('relay-acked-received', `session ${index}: B saw acks ${session.acked.join(',')}, C received ${received.join(',')}`);
      if (session.b === 'open' || session.b === 'connecting') violation('relay-session-visible', `session ${index} still ${session.b} at B when the run ended`);
      if (session.cOpen) violation('relay-session-visible', `session ${index} still open at C when the run ended (B: ${session.b})`);
      if (session.b === 'complete' && received.length !== LINES) violation('relay-complete', `session ${index} complete at B but C received ${received.length} lines`);
    });
    if (sessions[FINAL]!.b !== 'complete') violation('relay-after-heal', `the session after the faults healed ended ${sessions[FINAL]!.b}`);
    return out;
  },
};
