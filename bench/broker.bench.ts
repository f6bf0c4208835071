/**
 * `npm run bench -- broker [--json] [--quick]`: the split broker beside its baselines, each
 * measured in the same run.
 *
 * 1. Oracle open + validate + sign per second: the Oracle actor asked `register` (a Matcher stub
 *    answers at once; bench/broker/oracle-actor-rate.ts) vs raw sodium-native making the same
 *    calls in a bare loop (bench/broker/oracle-baseline.ts). Goal ≥ 0.9.
 * 2. Complete rendezvous per second over HTTP on loopback, P proxies and C clients (50/50 and
 *    200/200), with p50/p99 client latency: the split broker topology in one process vs a bare
 *    single-file Node `http` broker (bench/broker/bare-broker.ts), the same load
 *    (bench/broker/load.ts, 1.0 registrations). Goal ≥ 0.7. Each broker runs in a process of
 *    its own (bench/broker/broker-process.ts), apart from the load, so that beside each rate
 *    stand the broker's CPU per rendezvous in the measured window (`process.cpuUsage`, user +
 *    system, over completed rendezvous; for the three processes, all three from /proc) and its
 *    peak RSS. Issue 18's goals, one process: CPU ≤ 1.3× the bare broker's (ratio ≥ 0.77),
 *    rate ≥ 0.9×, peak RSS ≤ 100 MiB at 200/200.
 * 3. The same with the topology as three `airlock run --node …` processes over RabbitMQ
 *    (AIRLOCK_RABBIT_URL, default amqp://guest:guest@127.0.0.1:5672); AIRLOCK_BENCH_ONE_PROCESS=1
 *    leaves them out. AIRLOCK_BENCH_DIST=1 runs the three, and the one-process broker of 2 (as one
 *    `airlock run` of every node), from the compiled dist/ (`npm run build` first), without tsx's
 *    loader (the bare broker stays under tsx); beside the largest process's peak RSS stands the three's sum.
 *    Beside them: the local RabbitMQ node's CPU per rendezvous, and what the whole machine spends
 *    on one (the three, RabbitMQ and the load generator, against the bare broker and the load),
 *    with the rate that CPU allows on this machine's cores: where the rate stops is where they run out.
 * 4. Isolation: HTTP rendezvous per second while edge/dns crash-loops vs without, two of each
 *    interleaved, medians. Goal ≥ 0.95.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { startAirlockBrokerProcesses } from './broker/airlock-broker.ts';
import { procUsage, startBrokerProcess, type ProcessUsage } from './broker/broker-process.ts';
import { runRendezvousLoad, type LoadResult } from './broker/load.ts';
import { oracleFigure } from './broker/oracle-figure.ts';

const AMQP_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const CORES = availableParallelism();

interface Shape {
  proxies: number;
  clients: number;
}

const SHAPES: Shape[] = [
  { proxies: 50, clients: 50 },
  { proxies: 200, clients: 200 },
];

interface Measured extends LoadResult {
  /** CPU of the broker's process(es) in the measured window per completed rendezvous, µs. */
  cpuUsPerRendezvous: number;
  /** Peak RSS of the broker's (largest) process over its life, MiB. */
  peakRssMiB: number;
  /** Peak RSS of all the broker's processes summed, MiB (the three's goal: ≤ 300). */
  peakRssSumMiB: number;
  /** CPU of the load generator (this process) per completed rendezvous, µs. */
  loadCpuUsPerRendezvous: number;
  /** CPU of the local RabbitMQ node per completed rendezvous, µs (NaN when it is not on this machine). */
  rabbitCpuUsPerRendezvous: number;
}

interface Started {
  baseUrl: string;
  usage?(): Promise<ProcessUsage> | ProcessUsage;
  stop(): Promise<void>;
}

/** Runs the load against a broker started for it, and stops the broker whatever happens. */
async function measure(start: () => Promise<Started>, shape: Shape, durationMs: number): Promise<Measured> {
  const broker = await start();
  try {
    let before: ProcessUsage | undefined;
    let after: ProcessUsage | undefined;
    const load = { before: 0, after: 0 };
    const rabbit = { before: NaN, after: NaN };
    const cpuOfThis = () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    };
    const cpuOfRabbit = () => (RABBIT_PID === undefined ? NaN : procUsage([RABBIT_PID]).cpuUs);
    const window = {
      opening: async () => {
        before = await broker.usage?.();
        [load.before, rabbit.before] = [cpuOfThis(), cpuOfRabbit()];
      },
      closed: async () => {
        [load.after, rabbit.after] = [cpuOfThis(), cpuOfRabbit()];
        after = await broker.usage?.();
      },
    };
    const result = await runRendezvousLoad({ baseUrl: broker.baseUrl, ...shape, durationMs, window });
    if (result.failed > 0) console.error(`${shape.proxies}/${shape.clients}: ${result.failed} requests failed on the way (retried)`);
    const cpuUsPerRendezvous = before && after ? (after.cpuUs - before.cpuUs) / result.completed : NaN;
    const peakRssMiB = after ? after.peakRssBytes / 2 ** 20 : NaN;
    const peakRssSumMiB = after ? (after.peakRssSumBytes ?? after.peakRssBytes) / 2 ** 20 : NaN;
    const loadCpuUsPerRendezvous = (load.after - load.before) / result.completed;
    const rabbitCpuUsPerRendezvous = (rabbit.after - rabbit.before) / result.completed;
    return { ...result, cpuUsPerRendezvous, peakRssMiB, peakRssSumMiB, loadCpuUsPerRendezvous, rabbitCpuUsPerRendezvous };
  } finally {
    await broker.stop();
  }
}

// Both brokers of the one-process figures run in a process of their own, apart from the load.
const bare = () => startBrokerProcess('bare');
const COMPILED = process.env.AIRLOCK_BENCH_DIST === '1';
const processes = async (amqpUrl?: string): Promise<Started> => {
  const broker = await startAirlockBrokerProcesses(amqpUrl);
  return { baseUrl: broker.baseUrl, usage: () => procUsage(broker.pids!), stop: () => broker.stop() };
};
// Compiled, the one-process broker is `airlock run` of dist/ (no tsx); the isolation figure's crash loop needs the forked one.
const inProcess = (options: { crashDns?: boolean } = {}) => () => (COMPILED && !options.crashDns ? processes() : startBrokerProcess('airlock', options));
const threeProcesses = () => processes(AMQP_URL);

/**
 * The RabbitMQ node's OS process when it runs on this machine (the default URL), so the
 * three-process figures can show the broker's own CPU beside theirs; undefined otherwise.
 */
const RABBIT_PID = localRabbitPid();

function localRabbitPid(): number | undefined {
  if (!['127.0.0.1', 'localhost'].includes(new URL(AMQP_URL).hostname)) return undefined;
  try {
    const pid = Number(/"(\d+)"/.exec(execFileSync('rabbitmqctl', ['eval', 'os:getpid().'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything the machine spends on a rendezvous: the broker's process(es), the RabbitMQ node when
 * there is one, and the load generator. On a machine of N cores, N s / this is the ceiling of the rate.
 */
function machineCpu(measured: Measured): number {
  const rabbit = Number.isNaN(measured.rabbitCpuUsPerRendezvous) ? 0 : measured.rabbitCpuUsPerRendezvous;
  return measured.cpuUsPerRendezvous + rabbit + measured.loadCpuUsPerRendezvous;
}

function rendezvousFigures(label: string, airlock: Measured, baseline: Measured, overRabbit = false): Figure[] {
  const machine = overRabbit ? machineCpu(airlock) : NaN;
  return [
    figure(`rendezvous over HTTP ${label}`, airlock.rendezvousPerSecond, 'rdv/s', 'bare http broker', baseline.rendezvousPerSecond, true),
    figure(`client latency p50 ${label}`, airlock.p50Ms, 'ms', 'bare http broker', baseline.p50Ms, false),
    figure(`client latency p99 ${label}`, airlock.p99Ms, 'ms', 'bare http broker', baseline.p99Ms, false),
    figure(`broker CPU per rendezvous ${label}`, airlock.cpuUsPerRendezvous, 'µs', 'bare http broker', baseline.cpuUsPerRendezvous, false),
    figure(`broker peak RSS ${label}`, airlock.peakRssMiB, 'MiB', 'bare http broker', baseline.peakRssMiB, false),
    ...(airlock.peakRssSumMiB === airlock.peakRssMiB ? [] : [figure(`broker peak RSS, processes summed ${label}`, airlock.peakRssSumMiB, 'MiB', 'bare http broker', baseline.peakRssMiB, false)]),
    ...(overRabbit && !Number.isNaN(airlock.rabbitCpuUsPerRendezvous)
      ? [figure(`RabbitMQ's CPU per rendezvous ${label}`, airlock.rabbitCpuUsPerRendezvous, 'µs', 'bare http broker', baseline.cpuUsPerRendezvous, false)]
      : []),
    ...(overRabbit
      ? [
          figure(`machine CPU per rendezvous (brokers, RabbitMQ, load) ${label}`, machine, 'µs', 'bare broker + load', machineCpu(baseline), false),
          figure(`rate ceiling on ${CORES} cores at that CPU ${label}`, (CORES * 1e6) / machine, 'rdv/s', 'bare broker + load', (CORES * 1e6) / machineCpu(baseline), true),
        ]
      : []),
  ];
}

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [await oracleFigure(quick)];
  const durationMs = quick ? 1_000 : 3_000;
  for (const shape of SHAPES) {
    const label = `${shape.proxies}/${shape.clients}`;
    const baseline = await measure(bare, shape, durationMs);
    figures.push(...rendezvousFigures(label, await measure(inProcess(), shape, durationMs), baseline));
    if (process.env.AIRLOCK_BENCH_ONE_PROCESS) continue;
    figures.push(...rendezvousFigures(`${label}, 3 processes over RabbitMQ`, await measure(threeProcesses, shape, durationMs), baseline, true));
  }
  const shape = SHAPES[0]!;
  // Interleaved (calm, crashing, crashing, calm), medians: the machine's load drifts more within a
  // run than a crash loop costs (one restart is ~0.3 ms of CPU, bench/broker/dns-restart-cost.ts).
  const calm: number[] = [];
  const crashing: number[] = [];
  for (const crash of [false, true, true, false]) {
    const measured = await measure(inProcess({ crashDns: crash }), shape, durationMs);
    (crash ? crashing : calm).push(measured.rendezvousPerSecond);
  }
  figures.push(figure(`rendezvous over HTTP ${shape.proxies}/${shape.clients} while edge/dns crash-loops`, median(crashing), 'rdv/s', 'same, dns calm', median(calm), true));
  return figures;
};

export default bench;
