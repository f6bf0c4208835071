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
 *    leaves them out. AIRLOCK_BENCH_DIST=1 runs the three from the compiled dist/ (`npm run build`
 *    first), without tsx's loader; beside the largest process's peak RSS stands the three's sum.
 * 4. Isolation: HTTP rendezvous per second while edge/dns crash-loops vs without, two of each
 *    interleaved, medians. Goal ≥ 0.95.
 */
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { startAirlockBrokerProcesses } from './broker/airlock-broker.ts';
import { procUsage, startBrokerProcess, type ProcessUsage } from './broker/broker-process.ts';
import { runRendezvousLoad, type LoadResult } from './broker/load.ts';
import { oracleFigure } from './broker/oracle-figure.ts';

const AMQP_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

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
    const window = { opening: async () => void (before = await broker.usage?.()), closed: async () => void (after = await broker.usage?.()) };
    const result = await runRendezvousLoad({ baseUrl: broker.baseUrl, ...shape, durationMs, window });
    if (result.failed > 0) console.error(`${shape.proxies}/${shape.clients}: ${result.failed} requests failed on the way (retried)`);
    const cpuUsPerRendezvous = before && after ? (after.cpuUs - before.cpuUs) / result.completed : NaN;
    const peakRssMiB = after ? after.peakRssBytes / 2 ** 20 : NaN;
    const peakRssSumMiB = after ? (after.peakRssSumBytes ?? after.peakRssBytes) / 2 ** 20 : NaN;
    return { ...result, cpuUsPerRendezvous, peakRssMiB, peakRssSumMiB };
  } finally {
    await broker.stop();
  }
}

// Both brokers of the one-process figures run in a process of their own, apart from the load.
const bare = () => startBrokerProcess('bare');
const inProcess = (options: { crashDns?: boolean } = {}) => () => startBrokerProcess('airlock', options);
const threeProcesses = async (): Promise<Started> => {
  const broker = await startAirlockBrokerProcesses(AMQP_URL);
  return { baseUrl: broker.baseUrl, usage: () => procUsage(broker.pids!), stop: () => broker.stop() };
};

function rendezvousFigures(label: string, airlock: Measured, baseline: Measured): Figure[] {
  return [
    figure(`rendezvous over HTTP ${label}`, airlock.rendezvousPerSecond, 'rdv/s', 'bare http broker', baseline.rendezvousPerSecond, true),
    figure(`client latency p50 ${label}`, airlock.p50Ms, 'ms', 'bare http broker', baseline.p50Ms, false),
    figure(`client latency p99 ${label}`, airlock.p99Ms, 'ms', 'bare http broker', baseline.p99Ms, false),
    figure(`broker CPU per rendezvous ${label}`, airlock.cpuUsPerRendezvous, 'µs', 'bare http broker', baseline.cpuUsPerRendezvous, false),
    figure(`broker peak RSS ${label}`, airlock.peakRssMiB, 'MiB', 'bare http broker', baseline.peakRssMiB, false),
    ...(airlock.peakRssSumMiB === airlock.peakRssMiB ? [] : [figure(`broker peak RSS, processes summed ${label}`, airlock.peakRssSumMiB, 'MiB', 'bare http broker', baseline.peakRssMiB, false)]),
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
    figures.push(...rendezvousFigures(`${label}, 3 processes over RabbitMQ`, await measure(threeProcesses, shape, durationMs), baseline));
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
