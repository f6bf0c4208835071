/**
 * The simulation runner:
 *   npm run sim -- --list
 *   npm run sim -- --scenario <name> --seed <n> [--break <breakage>] [--trace]
 *   npm run sim -- --scenario <name> --seeds <count> [--from <n>]
 * Prints pass/fail and the trace hash per seed; a failure prints the command that replays it
 * and the trace lines that show the broken invariant. Exits 1 when any seed failed.
 */
import { formatEntry, formatResult, runScenario } from '../../transports/sim/index.ts';
import { parseArgs } from './cli-args.ts';
import { scenarioNamed, scenarios } from '../../examples/sim/index.ts';

const USAGE = 'usage: npm run sim -- --list | --scenario <name> (--seed <n> | --seeds <count> [--from <n>]) [--break <breakage>] [--trace]';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.list) {
    for (const scenario of scenarios) console.log(scenario.name);
    return 0;
  }
  const named = args.scenario === undefined ? [] : args.scenario === 'all' ? scenarios : [scenarioNamed(args.scenario)];
  const chosen = named.filter((scenario) => scenario !== undefined);
  if (chosen.length === 0 || chosen.length < named.length || (args.seed === undefined && args.seeds === undefined)) {
    console.error(args.scenario && chosen.length < named.length ? `no scenario '${args.scenario}'; npm run sim -- --list` : USAGE);
    return 2;
  }
  const seeds = args.seed !== undefined ? [args.seed] : Array.from({ length: args.seeds! }, (_, i) => args.from + i);
  let failures = 0;
  for (const scenario of chosen) {
    const started = performance.now();
    for (const seed of seeds) {
      const result = await runScenario(scenario, seed, { breakage: args.breakage, keepWorld: args.trace });
      if (!result.passed) failures++;
      if (args.trace) for (const entry of result.world!.trace.entries) console.log(formatEntry(entry));
      console.log(formatResult(result));
    }
    if (seeds.length > 1) {
      const seconds = (performance.now() - started) / 1_000;
      console.log(`# ${scenario.name}: ${seeds.length} seeds in ${seconds.toFixed(1)} s`);
    }
  }
  if (seeds.length > 1) console.log(`# ${failures} failed`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  return 2;
});
