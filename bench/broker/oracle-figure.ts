/**
 * The Oracle figure of `npm run bench -- broker`: the Oracle actor beside raw sodium-native, the
 * same registrations' count in each, alternating, run 0 a warm-up, medians of the rest.
 * Run alone (the full broker bench takes minutes): `npx tsx bench/broker/oracle-figure.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import { OracleKeys } from '../../actors/split-broker/oracle/index.ts';
import { figure, formatTable, median, type Figure } from '../figures.ts';
import { startOracleActor } from './oracle-actor-rate.ts';
import { rawOracleRate, sealedRegistrations } from './oracle-baseline.ts';

export async function oracleFigure(quick: boolean): Promise<Figure> {
  const keys = OracleKeys.generate();
  const actor = startOracleActor(keys);
  try {
    const count = quick ? 2_000 : 10_000;
    const runs = quick ? 3 : 5;
    const base: number[] = [];
    const ours: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const b = rawOracleRate(keys, sealedRegistrations(keys, count));
      const o = await actor.rate(sealedRegistrations(keys, count));
      if (run > 0) (base.push(b), ours.push(o)); // run 0 warms up
    }
    return figure('oracle open+validate+sign', median(ours), 'reg/s', 'raw sodium-native', median(base), true);
  } finally {
    await actor.stop();
    keys.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await oracleFigure(process.argv.includes('--quick'));
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : formatTable([result]));
}
