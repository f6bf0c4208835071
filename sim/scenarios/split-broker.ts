/**
 * The split broker under faults: the three zones as three nodes over the durable broker (edge:
 * the HTTP registrar; keyholder: the Oracle; core: the Matcher), and a fourth, `clients`, whose
 * proxies and clients speak Snowflake's HTTP API to the registrar over the simulated network
 * (Node's `http` client on the network port's streams). Messages drop, duplicate and wait; the
 * keyholder, then the core, is cut off from the broker (registrar↔oracle and oracle↔matcher
 * links), and the registrar crashes once. Invariant: every registration the registrar took gets
 * exactly one response, a signed answer from the one proxy its offer went to, or one of
 * Snowflake's typed errors (timed out, no proxies, broker unavailable); none hangs.
 *
 * The seed decides the schedule. The keys (one pair per process) and each registration's nonce
 * are random, but they only fill bytes of fixed length: nothing in the trace depends on them.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, supervisor } from '../../index.ts';
import type { ActorDefinition, AnyProtocol, HostPort, Network } from '../../index.ts';
import { startTree } from '../index.ts';
import type { Scenario, ScheduledFault, SimWorld, Violation } from '../index.ts';
import {
  httpRegistrarActor,
  matcherActor,
  oracleActor,
  RegistrarProtocol,
  STR_BROKER_UNAVAILABLE,
  STR_NO_PROXIES,
  STR_TIMED_OUT,
  writeKeyDir,
  type NatType,
  type OraclePublicKeys,
} from '../../actors/split-broker/index.ts';
import { proxyAnswerBody, proxyPollBody, readProxyPollResponse, sealRegistration, verifyAnswer } from '../../actors/split-broker/client/index.ts';

const REGISTRAR: HostPort = { host: 'edge', port: 8080 };
const CLIENTS = 16;
const PROXIES = 3;
/** Short waits (virtual ms), each longer than the one it wraps, so the inner one ends first. */
const WAITS = { matcher: 400, oracle: 700, registrar: 1_000 };
/** Proxies stop polling then; the last registration is sent well before. */
const PROXIES_STOP_AT = 4_000;
const TYPED_ERRORS = new Set([STR_NO_PROXIES, STR_TIMED_OUT, STR_BROKER_UNAVAILABLE]);

let keys: { dir: string; public: OraclePublicKeys } | undefined;

/** One key pair per process, written once (the Oracle loads its keys from a key directory). */
function oracleKeys(): { dir: string; public: OraclePublicKeys } {
  if (!keys) {
    const root = mkdtempSync(join(tmpdir(), 'airlock-sim-oracle-'));
    const dir = join(root, 'oracle');
    keys = { dir, public: writeKeyDir(dir) };
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return keys;
}

/** What became of one registration. */
type Outcome = { kind: 'answer'; answer: string } | { kind: 'error'; error: string; signed: boolean } | { kind: 'cut'; at: number } | { kind: 'wrong'; detail: string };

interface Run {
  sent: Map<number, { at: number }>;
  outcomes: Map<number, Outcome[]>;
  /** Offer id → the proxies it was handed to. */
  handedTo: Map<number, string[]>;
}

const runs = new WeakMap<SimWorld, Run>();

/**
 * One HTTP request over a fresh simulated connection: the response, `'cut'` when the connection
 * ended without one (the registrar's incarnation ended), `'refused'` when nobody listens (yet).
 */
async function post(network: Network, path: string, body: string, onSent: () => void): Promise<{ status: number; text: string } | 'cut' | 'refused'> {
  let connection;
  try {
    connection = await network.dial(REGISTRAR);
  } catch {
    return 'refused';
  }
  return new Promise((resolve) => {
    const request = http.request(
      { method: 'POST', path, host: REGISTRAR.host, headers: { 'Content-Length': Buffer.byteLength(body), Connection: 'close' }, createConnection: () => connection.stream as never },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', () => resolve('cut'));
      },
    );
    request.on('error', () => resolve('cut'));
    request.end(body, onSent);
  });
}

function startProxy(world: SimWorld, network: Network, run: Run, name: string, nat: NatType): void {
  const poll = (): void => {
    if (world.now >= PROXIES_STOP_AT) return;
    const again = (delayMs: number) => world.at(world.now + delayMs, poll);
    const sid = `${name}-${world.now}`;
    void post(network, '/proxy', proxyPollBody({ sid, nat }), () => {}).then((reply) => {
      if (typeof reply === 'string' || reply.status !== 200) return again(20 + world.random.int(30));
      const response = readProxyPollResponse(reply.text);
      if (response.status !== 'client match') return again(1);
      const id = Number(/^offer (\d+)$/.exec(response.offer)?.[1]);
      run.handedTo.set(id, [...(run.handedTo.get(id) ?? []), name]);
      void post(network, '/answer', proxyAnswerBody(sid, `answer to ${response.offer}`), () => {}).then(() => again(1));
    });
  };
  world.at(world.random.int(200), poll);
}

function register(world: SimWorld, network: Network, run: Run, id: number, oracle: OraclePublicKeys): void {
  const nat = (['unrestricted', 'restricted', 'unknown'] as const)[world.random.int(3)]!;
  const { body, nonce } = sealRegistration({ offer: `offer ${id}`, nat }, oracle.box, world.now);
  void post(network, '/client', body, () => run.sent.set(id, { at: world.now })).then((reply) => {
    // Nobody listening (the registrar restarting): not taken, the client tries again.
    if (reply === 'refused' || (reply === 'cut' && !run.sent.has(id))) return world.at(world.now + 20, () => register(world, network, run, id, oracle));
    const outcomes = run.outcomes.get(id) ?? [];
    run.outcomes.set(id, outcomes);
    outcomes.push(reply === 'cut' ? { kind: 'cut', at: world.now } : readOutcome(reply, id, nonce, oracle));
  });
}

function readOutcome(reply: { status: number; text: string }, id: number, nonce: string, oracle: OraclePublicKeys): Outcome {
  if (reply.status !== 200) return { kind: 'wrong', detail: `HTTP ${reply.status}` };
  let response;
  let signed = true;
  try {
    response = verifyAnswer(reply.text, nonce, oracle.sign);
  } catch {
    // The registrar's own "timed out" / "unavailable" (the Oracle out of reach) cannot be signed.
    response = JSON.parse(reply.text) as { answer?: string; error?: string };
    signed = false;
  }
  if (response.answer !== undefined) {
    if (!signed) return { kind: 'wrong', detail: 'an unsigned answer' };
    return response.answer === `answer to offer ${id}` ? { kind: 'answer', answer: response.answer } : { kind: 'wrong', detail: `another client's answer: ${response.answer}` };
  }
  return TYPED_ERRORS.has(response.error ?? '') ? { kind: 'error', error: response.error!, signed } : { kind: 'wrong', detail: `untyped error ${response.error}` };
}

/** `child` binds the config into a new definition: that one is what must be marked crashable. */
function crashableChild<S extends ReturnType<typeof child>>(world: SimWorld, spec: S): S {
  world.crashable(spec.start as ActorDefinition<AnyProtocol>);
  return spec;
}

export const splitBrokerFaults: Scenario = {
  name: 'split-broker',
  description: 'HTTP registrations through registrar, oracle and matcher on three nodes; links drop, zones are cut off, the registrar crashes',
  world: {
    transport: 'durable',
    calmAt: 3_000,
    settleWithinMs: 5_000,
    askTimeoutMs: WAITS.registrar,
    faults: { drop: 0.02, duplicate: 0.02, reorder: 0.02, actorCrash: 0, delay: { kind: 'exponential', meanMs: 3, maxMs: 40 } },
  },
  setup(world) {
    const oracle = oracleKeys();
    const run: Run = { sent: new Map(), outcomes: new Map(), handedTo: new Map() };
    runs.set(world, run);
    const registrarConfig = { port: REGISTRAR.port, askTimeoutMs: WAITS.registrar, rate: { burst: 10_000, perSecond: 10_000 } };
    const trees = {
      edge: supervisor({ intensity: { maxRestarts: 10, withinMs: 1_000 }, children: [crashableChild(world, child('http', httpRegistrarActor, { config: registrarConfig }))] }),
      keyholder: supervisor({ children: [child('oracle', oracleActor, { config: { keyDir: oracle.dir, matcherTimeoutMs: WAITS.oracle } })] }),
      core: supervisor({ children: [child('matcher', matcherActor, { config: { proxyTimeoutMs: WAITS.matcher, clientTimeoutMs: WAITS.matcher } })] }),
    };
    for (const [name, tree] of Object.entries(trees)) {
      world.addNode(name, (node) => {
        world.watchSupervisor(name, tree);
        startTree(node.system, tree, name);
      });
    }
    const clients = world.addNode('clients', () => {});
    const network = world.network.portFor('clients');
    for (let p = 0; p < PROXIES; p++) startProxy(world, network, run, `proxy${p}`, p % 2 === 0 ? 'unrestricted' : 'restricted');
    for (let id = 0; id < CLIENTS; id++) world.at(100 + world.random.int(2_400), () => register(world, network, run, id, oracle.public));

    // The registrar crashes on the next message it handles: a `where` asked at a seeded moment.
    world.at(300 + world.random.int(2_000), () => {
      world.crashActor('edge/http');
      clients.system.ref('edge/http', RegistrarProtocol).ask('where', {}).catch(() => {});
    });
    // Cutting a zone off the broker cuts its links: the keyholder's to registrar and matcher, the core's to the oracle.
    const cut = (zone: string, at: number): ScheduledFault[] => [
      { at, kind: 'partition', sides: [[zone], ['broker', 'edge', 'clients', zone === 'keyholder' ? 'core' : 'keyholder']] },
      { at: at + 100 + world.random.int(400), kind: 'heal' },
    ];
    world.schedule([...cut('keyholder', 200 + world.random.int(600)), ...cut('core', 1_400 + world.random.int(800))]);
  },
  check(world) {
    const run = runs.get(world)!;
    const out: Violation[] = [];
    const violation = (invariant: string, detail: string) => out.push({ invariant, detail, subjects: [] });
    const registrarCrashes = world.lifecycle.filter((event) => event.address === 'edge/http' && event.kind === 'failed').map((event) => event.at);
    for (const [id, { at: sentAt }] of run.sent) {
      const outcomes = run.outcomes.get(id) ?? [];
      if (outcomes.length !== 1) violation('registration-one-response', `registration ${id} got ${outcomes.length} responses`);
      for (const outcome of outcomes) {
        if (outcome.kind === 'wrong') violation('registration-typed-response', `registration ${id}: ${outcome.detail}`);
        // A connection ends without a response only when the registrar's incarnation (which owns it) ends meanwhile.
        const crashedMeanwhile = (at: number) => registrarCrashes.some((crash) => crash >= sentAt && crash <= at);
        if (outcome.kind === 'cut' && !crashedMeanwhile(outcome.at)) violation('registration-not-cut', `registration ${id}'s connection ended at ${outcome.at} ms with no registrar crash since ${sentAt} ms`);
      }
    }
    for (const [id, proxies] of run.handedTo) {
      if (proxies.length > 1) violation('offer-handed-once', `offer ${id} went to ${proxies.join(', ')}`);
    }
    if (run.sent.size < CLIENTS) violation('registrations-taken', `only ${run.sent.size} of ${CLIENTS} registrations were ever taken`);
    return out;
  },
};
