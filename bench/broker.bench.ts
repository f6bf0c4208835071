/**
 * `npm run bench -- broker`: the split broker beside its baselines, measured in the same run.
 *
 * - Oracle open + validate + sign per second vs raw sodium-native making the same calls
 *   (bench/broker/oracle-baseline.ts);
 * - complete rendezvous per second over HTTP on loopback, P proxies and C clients (50/50 and
 *   200/200), with p50/p99 client latency, vs a bare single-file Node `http` broker
 *   (bench/broker/bare-broker.ts), driven by the same load (bench/broker/load.ts).
 *
 * Until the Registrar/Oracle/Matcher actors exist, the "airlock" side of each figure is the
 * baseline run a second time (so the ratio reads the run-to-run noise, about 1.00×); the
 * actor side replaces `airlockRendezvous` and `airlockOracleRate` below.
 */
import { OracleKeys } from '../actors/oracle/index.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { startBareBroker } from './broker/bare-broker.ts';
import { runRendezvousLoad, type LoadResult } from './broker/load.ts';
import { rawOracleRate, sealedRegistrations } from './broker/oracle-baseline.ts';

const SHAPES = [
  { proxies: 50, clients: 50 },
  { proxies: 200, clients: 200 },
];

async function bareRendezvous(shape: { proxies: number; clients: number }, durationMs: number): Promise<LoadResult> {
  const broker = await startBareBroker();
  try {
    return await runRendezvousLoad({ baseUrl: broker.baseUrl, ...shape, durationMs });
  } finally {
    await broker.close();
  }
}

/** The airlock side: the HTTP registrar and the matcher under the same load (placeholder: the bare broker). */
const airlockRendezvous = bareRendezvous;

/** The airlock side: the Oracle actor asked to open and answer each registration (placeholder: the raw loop). */
const airlockOracleRate = rawOracleRate;

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [];
  const keys = OracleKeys.generate();
  try {
    const count = quick ? 2_000 : 10_000;
    const runs = quick ? 3 : 5;
    const base: number[] = [];
    const ours: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const b = rawOracleRate(keys, sealedRegistrations(keys, count));
      const o = airlockOracleRate(keys, sealedRegistrations(keys, count));
      if (run > 0) (base.push(b), ours.push(o)); // run 0 warms up
    }
    figures.push(figure('oracle open+validate+sign', median(ours), 'reg/s', 'raw sodium-native', median(base), true));
  } finally {
    keys.dispose();
  }

  const durationMs = quick ? 1_000 : 3_000;
  for (const shape of SHAPES) {
    const label = `${shape.proxies}/${shape.clients}`;
    const baseline = await bareRendezvous(shape, durationMs);
    const airlock = await airlockRendezvous(shape, durationMs);
    figures.push(
      figure(`rendezvous over HTTP ${label}`, airlock.rendezvousPerSecond, 'rdv/s', 'bare http broker', baseline.rendezvousPerSecond, true),
      figure(`client latency p50 ${label}`, airlock.p50Ms, 'ms', 'bare http broker', baseline.p50Ms, false),
      figure(`client latency p99 ${label}`, airlock.p99Ms, 'ms', 'bare http broker', baseline.p99Ms, false),
    );
  }
  return figures;
};

export default bench;
