/**
 * The airlock side of the rendezvous figures: the split broker's three trees (its face's
 * `splitBrokerNodes`) in this process, or as three `airlock run --node …` processes over RabbitMQ, fresh keys, the
 * HTTP registrar on a loopback port. `crashDns` makes edge/dns crash on every message it
 * handles, and something asks it every 600 ms: the isolation figure's fault, a crash loop kept
 * under the edge supervisor's intensity (20 restarts in 10 s) so that it never gives up the tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { defineTopology, run } from '../../index.ts';
import { readPublicKeys, RegistrarProtocol, splitBrokerNodes, writeKeyDir, type OraclePublicKeys } from '../../actors/split-broker/index.ts';
import { freePort } from '../../testing/index.ts';

const AIRLOCK = fileURLToPath(new URL('../../bin/airlock.js', import.meta.url));
/** Run by `airlock run` as a user would (a path the command loads, not an import). */
const TOPOLOGY = fileURLToPath(new URL('../../examples/split-broker/topology.ts', import.meta.url));
/**
 * The same topology in JavaScript on the package's faces, for a compiled run: with
 * `AIRLOCK_BENCH_DIST=1` (after `npm run build`) the three processes run dist/, no tsx loaded.
 */
const COMPILED_TOPOLOGY = fileURLToPath(new URL('./split-broker-topology.mjs', import.meta.url));
const COMPILED_AIRLOCK = fileURLToPath(new URL('../../dist/bin/airlock.js', import.meta.url));
const FREE_PORTS = { http: 0, amp: 0, dns: 0, edgeOps: 0, keyholderOps: 0, coreOps: 0 };
/** The load is the benchmark's, not an attack: the per-source bucket must not throttle it. */
const RATE = { burst: 1_000_000, perSecond: 1_000_000 };
const CRASH_EVERY_MS = 600;

export interface AirlockBroker {
  baseUrl: string;
  keys: OraclePublicKeys;
  /** The process ids of a topology run as processes (`startAirlockBrokerProcesses`). */
  pids?: number[];
  stop(): Promise<void>;
}

function keyDirectory(): { root: string; keyDir: string; keys: OraclePublicKeys } {
  const root = mkdtempSync(join(tmpdir(), 'airlock-bench-sb-'));
  const keyDir = join(root, 'oracle');
  writeKeyDir(keyDir);
  return { root, keyDir, keys: readPublicKeys(keyDir) };
}

export async function startAirlockBroker(options: { crashDns?: boolean } = {}): Promise<AirlockBroker> {
  const { root, keyDir, keys } = keyDirectory();
  const running = run(defineTopology('split-broker', splitBrokerNodes({ keyDir, rate: RATE, ports: FREE_PORTS })), {
    beforeHandle: (address) => {
      if (options.crashDns && address === 'edge/dns') throw new Error('injected fault: the DNS registrar crashes');
    },
  });
  const where = (address: string) => running.ref(address, RegistrarProtocol).ask('where', {});
  const { port } = await where('edge/http');
  const crasher = options.crashDns ? setInterval(() => void where('edge/dns').catch(() => {}), CRASH_EVERY_MS) : undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    keys,
    async stop() {
      clearInterval(crasher);
      await running.stop({ drainTimeoutMs: 0 });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The three nodes as three `airlock run --node …` processes over RabbitMQ at `amqpUrl`, in a
 * namespace of their own; without `amqpUrl`, as one `airlock run` process on the in-process
 * transport (what a compiled one-process run measures, `AIRLOCK_BENCH_DIST=1`).
 */
export async function startAirlockBrokerProcesses(amqpUrl?: string): Promise<AirlockBroker> {
  const { root, keyDir, keys } = keyDirectory();
  const namespace = `airlock-bench-sb-${process.pid}-${Date.now()}`;
  const httpPort = await freePort();
  const env = {
    ...process.env,
    SPLIT_BROKER_HTTP_PORT: String(httpPort),
    SPLIT_BROKER_RATE_PER_SECOND: String(RATE.perSecond),
    SPLIT_BROKER_RATE_BURST: String(RATE.burst),
    ...Object.fromEntries(['AMP', 'DNS', 'EDGE_OPS', 'KEYHOLDER_OPS', 'CORE_OPS'].map((name) => [`SPLIT_BROKER_${name}_PORT`, '0'])),
  };
  const compiled = process.env.AIRLOCK_BENCH_DIST === '1';
  if (compiled && !existsSync(COMPILED_AIRLOCK)) throw new Error('AIRLOCK_BENCH_DIST=1 runs dist/: run `npm run build` first');
  // dist/'s own command, run directly: it measures what the last build compiled, so build after every change.
  const [command, topology] = compiled ? [COMPILED_AIRLOCK, COMPILED_TOPOLOGY] : [AIRLOCK, TOPOLOGY];
  const children: ChildProcess[] = [];
  // Only the keyholder is told where the keys are.
  const processes = amqpUrl === undefined
    ? [{ node: undefined, args: [], keys: keyDir }]
    : ['keyholder', 'core', 'edge'].map((node) => ({ node, args: ['--node', node, '--amqp', amqpUrl, '--namespace', namespace], keys: node === 'keyholder' ? keyDir : join(root, 'none') }));
  for (const { node, args, keys: keysOf } of processes) {
    const nodeEnv = { ...env, SPLIT_BROKER_KEY_DIR: keysOf, NODE_OPTIONS: brokerNodeOptions() };
    const child = spawn(process.execPath, [command, 'run', topology, ...args], { cwd: root, env: nodeEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await ready(child, node ?? 'every node');
  }
  return {
    baseUrl: `http://127.0.0.1:${httpPort}/`,
    keys,
    pids: children.map((child) => child.pid!),
    async stop() {
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))));
      if (amqpUrl !== undefined) await deleteNamespace(amqpUrl, namespace);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Node's flags for the three processes only (not the load's): NODE_OPTIONS and, after it,
 * AIRLOCK_BENCH_BROKER_NODE_OPTIONS, e.g. `--max-semi-space-size=2` to trade some GC work for
 * resident memory (V8's young generation is most of what a process holds beyond its heap).
 */
function brokerNodeOptions(): string {
  return [process.env.NODE_OPTIONS, process.env.AIRLOCK_BENCH_BROKER_NODE_OPTIONS].filter(Boolean).join(' ');
}

function ready(child: ChildProcess, node: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('airlock: ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`airlock run (${node}) exited (${code}) before it was ready`)));
  });
}

/** The namespace's queues are named `<namespace>:<address>`: those the topology declares, and its dead letters. */
async function deleteNamespace(url: string, namespace: string): Promise<void> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const address of ['edge/http', 'edge/amp', 'edge/dns', 'edge/ops', 'keyholder/oracle', 'keyholder/ops', 'core/matcher', 'core/ops', '$dead-letters']) {
    await channel.deleteQueue(`${namespace}:${address}`);
  }
  await channel.deleteExchange(namespace);
  await connection.close();
}
