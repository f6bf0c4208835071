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
 *    (bench/broker/load.ts, 1.0 registrations). Goal ≥ 0.7.
 * 3. The same with the topology as three `airlock run --node …` processes over RabbitMQ
 *    (AIRLOCK_RABBIT_URL, default amqp://guest:guest@127.0.0.1:5672).
 * 4. Isolation: HTTP rendezvous per second while edge/dns crash-loops vs without. Goal ≥ 0.95.
 */
import { figure, type Benchmark, type Figure } from './figures.ts';
import { startAirlockBroker, startAirlockBrokerProcesses, type AirlockBroker } from './broker/airlock-broker.ts';
import { startBareBroker } from './broker/bare-broker.ts';
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

/** Runs the load against a broker started for it, and stops the broker whatever happens. */
async function measure(start: () => Promise<{ baseUrl: string; close?: () => Promise<void>; stop?: () => Promise<void> }>, shape: Shape, durationMs: number): Promise<LoadResult> {
  const broker = await start();
  try {
    const result = await runRendezvousLoad({ baseUrl: broker.baseUrl, ...shape, durationMs });
    if (result.failed > 0) console.error(`${shape.proxies}/${shape.clients}: ${result.failed} requests failed on the way (retried)`);
    return result;
  } finally {
    await (broker.close ?? broker.stop)!();
  }
}

const bare = () => startBareBroker();
const inProcess = (options: { crashDns?: boolean } = {}) => (): Promise<AirlockBroker> => startAirlockBroker(options);
const threeProcesses = () => startAirlockBrokerProcesses(AMQP_URL);

function rendezvousFigures(label: string, airlock: LoadResult, baseline: LoadResult): Figure[] {
  return [
    figure(`rendezvous over HTTP ${label}`, airlock.rendezvousPerSecond, 'rdv/s', 'bare http broker', baseline.rendezvousPerSecond, true),
    figure(`client latency p50 ${label}`, airlock.p50Ms, 'ms', 'bare http broker', baseline.p50Ms, false),
    figure(`client latency p99 ${label}`, airlock.p99Ms, 'ms', 'bare http broker', baseline.p99Ms, false),
  ];
}

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [await oracleFigure(quick)];
  const durationMs = quick ? 1_000 : 3_000;
  for (const shape of SHAPES) {
    const label = `${shape.proxies}/${shape.clients}`;
    const baseline = await measure(bare, shape, durationMs);
    figures.push(...rendezvousFigures(label, await measure(inProcess(), shape, durationMs), baseline));
    figures.push(...rendezvousFigures(`${label}, 3 processes over RabbitMQ`, await measure(threeProcesses, shape, durationMs), baseline));
  }
  const shape = SHAPES[0]!;
  const calm = await measure(inProcess(), shape, durationMs);
  const crashing = await measure(inProcess({ crashDns: true }), shape, durationMs);
  figures.push(figure(`rendezvous over HTTP ${shape.proxies}/${shape.clients} while edge/dns crash-loops`, crashing.rendezvousPerSecond, 'rdv/s', 'same, dns calm', calm.rendezvousPerSecond, true));
  return figures;
};

export default bench;
