import { BadUsageError } from './errors.ts';
import { BREAKAGES, type Breakage } from '../sim/index.ts';
import { flag, integerOption, stringOption, type ParsedArgs } from './parsed-args.ts';

/** `airlock sim`'s command line, checked. */
export interface SimArgs {
  list: boolean;
  /** A shipped scenario's name, or `all`. */
  scenario: string | undefined;
  /** A scenario module of the user's, and which export of it. */
  file: string | undefined;
  exportName: string | undefined;
  /** The seeds to run, in order. */
  seeds: number[];
  breakage: Breakage | undefined;
  trace: boolean;
}

export function simArgs(args: ParsedArgs): SimArgs {
  if (args.rest.length > 0) throw new BadUsageError(`sim takes no positional arguments ('${args.rest[0]}')`);
  const list = flag(args, 'list');
  const scenario = stringOption(args, 'scenario');
  const file = stringOption(args, 'file');
  const exportName = stringOption(args, 'export');
  if (scenario !== undefined && file !== undefined) throw new BadUsageError('sim takes --scenario or --file, not both');
  if (exportName !== undefined && file === undefined) throw new BadUsageError('--export goes with --file');
  const breakage = stringOption(args, 'break');
  if (breakage !== undefined && !BREAKAGES.includes(breakage as Breakage)) throw new BadUsageError(`--break takes one of ${BREAKAGES.join(', ')}`);
  return { list, scenario, file, exportName, seeds: list ? [] : seedsOf(args, scenario ?? file), breakage: breakage as Breakage | undefined, trace: flag(args, 'trace') };
}

/** `--seed <n>` alone, or `--seeds <count>` from `--from` (1). */
function seedsOf(args: ParsedArgs, subject: string | undefined): number[] {
  if (subject === undefined) throw new BadUsageError('sim needs --list, --scenario <name> or --file <scenario.ts>');
  const seed = integerOption(args, 'seed');
  const count = integerOption(args, 'seeds', { positive: true });
  const from = integerOption(args, 'from');
  if ((seed === undefined) === (count === undefined)) throw new BadUsageError('sim takes either --seed <n> or --seeds <count>');
  if (from !== undefined && count === undefined) throw new BadUsageError('--from goes with --seeds');
  return seed !== undefined ? [seed] : Array.from({ length: count! }, (_, i) => (from ?? 1) + i);
}
