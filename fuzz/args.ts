/** `npm run fuzz` command line: `[--frames N] [--seed S] [--json] [--target name]...`. */
export interface FuzzArgs {
  frames: number;
  seed: number;
  json: boolean;
  /** Decoders to fuzz; all of them when empty. */
  targets: string[];
}

export const DEFAULT_FRAMES = 100_000;
export const DEFAULT_SEED = 1;

export function parseFuzzArgs(argv: readonly string[]): FuzzArgs {
  const known = new Set(['--frames', '--seed', '--json', '--target']);
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!known.has(argv[i])) throw new Error(`unknown argument '${argv[i]}'; usage: npm run fuzz -- [--frames N] [--seed S] [--json] [--target name]`);
    if (argv[i] === '--target') targets.push(required(argv, i++));
    else if (argv[i] !== '--json') i++;
  }
  return {
    frames: integer(argv, '--frames') ?? DEFAULT_FRAMES,
    seed: integer(argv, '--seed') ?? DEFAULT_SEED,
    json: argv.includes('--json'),
    targets,
  };
}

function required(argv: readonly string[], at: number): string {
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${argv[at]} takes a value`);
  return value;
}

function integer(argv: readonly string[], flag: string): number | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const text = required(argv, at);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${flag} takes a non-negative integer, not '${text}'`);
  return value;
}
