import { SimulationFailedError } from './errors.ts';
import { checkInvariants, type Violation } from './invariants.ts';
import { faultRates, formatEntry, type Breakage, type FaultRateOptions } from '../transports/sim/index.ts';
import { SimWorld, type WorldOptions } from './world.ts';

/**
 * A simulation test: the world it needs, how it builds nodes, workload and faults (all drawn
 * from `world.random` and `world.dice`), and its own invariants beside the generic ones.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The world's options; each fault rate left out is 0. */
  readonly world: Partial<Omit<WorldOptions, 'breakage' | 'faults'>> & { readonly faults?: FaultRateOptions };
  setup(world: SimWorld): void;
  check?(world: SimWorld): Violation[];
}

export interface ScenarioRunOptions {
  breakage?: Breakage;
  /** Keep the world in the result (for tests that inspect it). */
  keepWorld?: boolean;
}

/** What one seed did. */
export interface SeedResult {
  readonly scenario: string;
  readonly seed: number;
  readonly breakage: Breakage | undefined;
  readonly passed: boolean;
  readonly hash: string;
  readonly violations: readonly Violation[];
  readonly events: number;
  readonly virtualMs: number;
  readonly traceLength: number;
  /** For a failure: the trace lines that show the first broken invariant. */
  readonly tail: readonly string[];
  readonly world?: SimWorld;
}

/** Runs one seed of a scenario and checks every invariant. */
export async function runScenario(scenario: Scenario, seed: number, options: ScenarioRunOptions = {}): Promise<SeedResult> {
  const world = new SimWorld(seed, { ...scenario.world, faults: faultRates(scenario.world.faults), breakage: options.breakage });
  scenario.setup(world);
  await world.run();
  const violations = [...checkInvariants(world), ...(scenario.check?.(world) ?? [])];
  for (const violation of violations) world.trace.record('violation', `${violation.invariant}: ${violation.detail}`);
  const first = violations[0];
  const tail = first ? world.trace.tail(first.subjects).map(formatEntry) : [];
  return {
    scenario: scenario.name,
    seed,
    breakage: options.breakage,
    passed: violations.length === 0,
    hash: world.trace.hash,
    violations,
    events: world.scheduler.fired,
    virtualMs: world.now,
    traceLength: world.trace.entries.length,
    tail,
    ...(options.keepWorld ? { world } : {}),
  };
}

/** Where a scenario that does not ship with airlock came from: a module of the user's, and which export. */
export interface ScenarioSource {
  file: string;
  exportName?: string;
}

/** The exact command that replays a seed (of a shipped scenario, or of the one in `source`). */
export function replayCommand(result: Pick<SeedResult, 'scenario' | 'seed' | 'breakage'>, source?: ScenarioSource): string {
  const which = source === undefined ? `--scenario ${result.scenario}` : `--file ${source.file}${source.exportName ? ` --export ${source.exportName}` : ''}`;
  return `npx airlock sim ${which} --seed ${result.seed}${result.breakage ? ` --break ${result.breakage}` : ''}`;
}

/** One line per seed; a failure adds its violations, the replay command and the trace tail. */
export function formatResult(result: SeedResult, source?: ScenarioSource): string {
  const head = `${result.passed ? 'pass' : 'FAIL'} ${result.scenario} seed=${result.seed} hash=${result.hash} events=${result.events} virtual=${result.virtualMs}ms`;
  if (result.passed) return head;
  return [
    head,
    ...result.violations.map((violation) => `  violated ${violation.invariant}: ${violation.detail}`),
    `  replay: ${replayCommand(result, source)}`,
    '  trace tail:',
    ...result.tail.map((line) => `    ${line}`),
  ].join('\n');
}

export interface SweepOptions extends ScenarioRunOptions {
  seeds: number;
  /** First seed (default 1). */
  from?: number;
  /** Stop at the first failure. */
  stopOnFailure?: boolean;
}

/** Runs `seeds` consecutive seeds. */
export async function sweepSeeds(scenario: Scenario, options: SweepOptions): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  const from = options.from ?? 1;
  for (let seed = from; seed < from + options.seeds; seed++) {
    const result = await runScenario(scenario, seed, options);
    results.push(result);
    if (!result.passed && options.stopOnFailure) break;
  }
  return results;
}

/** For mocha (or any) tests: runs the seeds and throws with the replay command of the first failure. */
export async function assertSeedsPass(scenario: Scenario, options: SweepOptions): Promise<SeedResult[]> {
  const results = await sweepSeeds(scenario, { ...options, stopOnFailure: true });
  const failed = results.find((result) => !result.passed);
  if (failed) throw new SimulationFailedError(failed.seed, formatResult(failed));
  return results;
}
