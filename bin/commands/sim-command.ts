import { BadUsageError } from '../errors.ts';
import { formatEntry, formatResult, runScenario, type Scenario, type ScenarioSource } from '../../sim/index.ts';
import { println, type CommandIo } from '../io.ts';
import { loadScenario } from '../load-scenario.ts';
import type { SimArgs } from '../sim-args.ts';

/**
 * `airlock sim`: runs seeds of the shipped scenarios (sim/scenarios) or of a user's scenario
 * module, checking every invariant. Prints pass/FAIL and the trace hash per seed; a failure
 * prints the command that replays it and the trace lines that show the broken invariant.
 * Exit code 1 when any seed failed.
 */
export async function simCommand(args: SimArgs, io: CommandIo): Promise<number> {
  const { scenarios } = await import('../../sim/scenarios/index.ts');
  if (args.list) {
    // One line each, the descriptions in one column, so the list says what each scenario proves.
    const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
    for (const scenario of scenarios) println(io.out, `${scenario.name.padEnd(width)}  ${scenario.description}`);
    return 0;
  }
  const source: ScenarioSource | undefined = args.file === undefined ? undefined : { file: args.file, exportName: args.exportName };
  const chosen = source === undefined ? named(scenarios, args.scenario!) : [await loadScenario(source.file, io.cwd, source.exportName)];
  let failures = 0;
  for (const scenario of chosen) failures += await runSeeds(scenario, args, source, io);
  if (args.seeds.length > 1) println(io.out, `# ${failures} failed`);
  return failures > 0 ? 1 : 0;
}

function named(scenarios: readonly Scenario[], name: string): readonly Scenario[] {
  if (name === 'all') return scenarios;
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (scenario === undefined) throw new BadUsageError(`no scenario '${name}' (airlock sim --list names them)`);
  return [scenario];
}

/** Runs every seed of one scenario; resolves with how many failed. */
async function runSeeds(scenario: Scenario, args: SimArgs, source: ScenarioSource | undefined, io: CommandIo): Promise<number> {
  const started = performance.now();
  let failures = 0;
  for (const seed of args.seeds) {
    const result = await runScenario(scenario, seed, { breakage: args.breakage, keepWorld: args.trace });
    if (!result.passed) failures++;
    if (args.trace) for (const entry of result.world!.trace.entries) println(io.out, formatEntry(entry));
    println(io.out, formatResult(result, source));
  }
  if (args.seeds.length > 1) println(io.out, `# ${scenario.name}: ${args.seeds.length} seeds in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
  return failures;
}
