import { parseArgs } from 'node:util';
// Straight from lib's file, not the package face: `airlock --help` must not load every layer.
import { BadUsageError } from './errors.ts';
import { errorMessage, type AirlockError } from '../lib/errors.ts';
import { COMMANDS, commandUsage, USAGE } from './command-table.ts';
import { println, type CommandIo } from './io.ts';
import type { ParsedArgs } from './parsed-args.ts';

export { USAGE } from './command-table.ts';

const OPTIONS = {
  node: { type: 'string' },
  amqp: { type: 'string' },
  namespace: { type: 'string' },
  export: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  dot: { type: 'boolean' },
  'keep-running': { type: 'boolean' },
  'ops-port': { type: 'string' },
  list: { type: 'boolean' },
  scenario: { type: 'string' },
  file: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  from: { type: 'string' },
  break: { type: 'string' },
  trace: { type: 'boolean' },
  out: { type: 'string' },
  names: { type: 'string' },
  'ca-name': { type: 'string' },
  dns: { type: 'string' },
  ips: { type: 'string' },
  days: { type: 'string' },
  config: { type: 'string' },
  'config-file': { type: 'string' },
  socket: { type: 'string' },
  port: { type: 'string' },
  listen: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one `airlock` command; resolves with its exit code (2 for usage errors, 1 for others). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  let command: string | undefined;
  try {
    const args = parse(argv);
    command = args.command;
    return await dispatch(args, io);
  } catch (error) {
    const code = airlockCode(error);
    println(io.err, `airlock: ${code ?? 'INTERNAL'}: ${errorMessage(error)}`);
    if (code !== 'BAD_USAGE') return 1;
    println(io.err, command !== undefined && Object.hasOwn(COMMANDS, command) ? commandUsage(command) : USAGE);
    return 2;
  }
}

async function dispatch(args: ParsedArgs, io: CommandIo): Promise<number> {
  const { command, rest, values } = args;
  if (command === '' || (command === 'help' && rest.length === 0)) {
    println(io.out, USAGE);
    return 0;
  }
  const topic = command === 'help' ? rest[0] : command;
  if (!Object.hasOwn(COMMANDS, topic)) throw new BadUsageError(`unknown command '${topic}'`);
  if (values.help || command === 'help') {
    println(io.out, commandUsage(topic));
    return 0;
  }
  const entry = COMMANDS[command];
  const extra = Object.keys(values).find((name) => name !== 'help' && !entry.options.includes(name));
  if (extra) throw new BadUsageError(`'${command}' takes no --${extra}`);
  return entry.run(args, io);
}

function parse(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new BadUsageError(errorMessage(error));
  }
  const [command = '', ...rest] = parsed.positionals;
  // `airlock --help` alone is the general usage, as is `airlock` alone.
  return { command, rest, values: parsed.values };
}

/**
 * The code of an `AirlockError`, recognised by its class's name rather than `instanceof`: the
 * commands are imported lazily, and a host that loads this file through tsx's require hook as
 * well as its ESM loader gets a second copy of lib for them, with classes of its own (`airlock`
 * and the specs register the ESM loader only; an embedding host may not).
 */
function airlockCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  for (let proto = Object.getPrototypeOf(error) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    if (proto.constructor?.name === 'AirlockError') return (error as AirlockError).code;
  }
  return undefined;
}
