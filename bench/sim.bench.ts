/**
 * Simulated seeds per minute for each scenario, and virtual-time speed-up (virtual seconds per
 * wall second). The baseline, measured in the same run, is a bare loop doing the same number of
 * message hand-offs per seed (push and shift on an array), so the ratio reads "simulation cost
 * relative to doing nothing but handing messages over".
 */
import { runScenario } from '../internal.ts';
import { scenarios } from '../sim/scenarios/index.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';

/** Seeds per minute of a bare loop handing `handoffs` messages through `actors` arrays. */
function bareLoopSeedsPerMinute(handoffs: number, seeds: number): number {
  const started = performance.now();
  let sink = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const queues: { n: number }[][] = Array.from({ length: 10 }, () => []);
    for (let i = 0; i < handoffs; i++) {
      queues[i % 10].push({ n: i });
      sink += queues[i % 10].shift()!.n;
    }
  }
  if (sink < 0) console.log(sink);
  return (seeds * 60_000) / (performance.now() - started);
}

const bench: Benchmark = async ({ quick }) => {
  const seeds = quick ? 20 : 100;
  const figures: Figure[] = [];
  for (const scenario of scenarios) {
    const wallPerSeed: number[] = [];
    const speedUps: number[] = [];
    let handoffs = 0;
    for (let seed = 1_000; seed < 1_005; seed++) await runScenario(scenario, seed); // JIT warm-up
    for (let seed = 1; seed <= seeds; seed++) {
      const started = performance.now();
      const result = await runScenario(scenario, seed, { keepWorld: true });
      const wall = performance.now() - started;
      wallPerSeed.push(wall);
      speedUps.push(result.virtualMs / wall);
      handoffs = Math.max(handoffs, [...result.world!.ledger.messages.values()].filter((m) => m.handlings.length > 0).length);
    }
    const seedsPerMinute = 60_000 / median(wallPerSeed);
    const baseline = bareLoopSeedsPerMinute(handoffs, seeds * 10);
    figures.push(figure(`${scenario.name}: seeds/min (${handoffs} hand-offs/seed)`, seedsPerMinute, 'seeds/min', 'bare hand-off loop', baseline, true));
    figures.push(figure(`${scenario.name}: virtual s per wall s`, median(speedUps), '×', 'real time', 1, true));
  }
  return figures;
};

export default bench;
