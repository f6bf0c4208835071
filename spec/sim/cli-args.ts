import { BREAKAGES, type Breakage } from '../../transports/sim/index.ts';

/** The runner's command line, parsed. */
export interface CliArgs {
  list: boolean;
  scenario: string | undefined;
  seed: number | undefined;
  seeds: number | undefined;
  from: number;
  breakage: Breakage | undefined;
  trace: boolean;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (flag: string) => {
    const text = value(flag);
    if (text === undefined) return undefined;
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} takes a non-negative integer, not '${text}'`);
    return parsed;
  };
  const breakage = value('--break');
  if (breakage !== undefined && !BREAKAGES.includes(breakage as Breakage)) {
    throw new Error(`--break takes one of ${BREAKAGES.join(', ')}`);
  }
  return {
    list: argv.includes('--list'),
    scenario: value('--scenario'),
    seed: number('--seed'),
    seeds: number('--seeds'),
    from: number('--from') ?? 1,
    breakage: breakage as Breakage | undefined,
    trace: argv.includes('--trace'),
  };
}

