import { parseArgs } from 'node:util';
import { AirlockError, BadUsageError, describe } from '../index.ts';
import { certsCommand, CERTS_USAGE } from './commands/certs-command.ts';
import { controlCommand } from './commands/control-command.ts';
import { graphCommand } from './commands/graph-command.ts';
import { runCommand } from './commands/run-command.ts';
import { statusCommand } from './commands/status-command.ts';
import { println, type CommandIo } from './io.ts';

export const USAGE = `usage:
  airlock run <topology.ts> [--node <name>] [--amqp <url> [--namespace <ns>]] [--export <name>] [--keep-running]
  airlock status [<address>] [--node <name>] [--json] [--amqp <url> [--namespace <ns>]]
  airlock restart <address> [--amqp <url> [--namespace <ns>]]
  airlock stop <address> [--amqp <url> [--namespace <ns>]]
  airlock start <address> [--amqp <url> [--namespace <ns>]]
  airlock graph <topology.ts> [--export <name>] [--dot]
  ${CERTS_USAGE}
Admin sockets live in $AIRLOCK_ADMIN_DIR, or .airlock/ under the working directory.
Over --amqp, restart/stop/start sign with the control key: $AIRLOCK_CONTROL_KEY_FILE, or control.key there.`;

const OPTIONS = {
  node: { type: 'string' },
  amqp: { type: 'string' },
  namespace: { type: 'string' },
  export: { type: 'string' },
  json: { type: 'boolean' },
  dot: { type: 'boolean' },
  'keep-running': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command takes; anything else is a usage error, not silently ignored. */
const ALLOWED: Record<string, readonly string[]> = {
  run: ['node', 'amqp', 'namespace', 'export', 'keep-running'],
  status: ['node', 'amqp', 'namespace', 'json'],
  restart: ['amqp', 'namespace'],
  stop: ['amqp', 'namespace'],
  start: ['amqp', 'namespace'],
  graph: ['export', 'dot'],
};

/** Runs one `airlock` command; resolves with its exit code (2 for usage errors, 1 for others). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const code = error instanceof AirlockError ? error.code : 'INTERNAL';
    println(io.err, `airlock: ${code}: ${describe(error)}`);
    if (error instanceof BadUsageError) println(io.err, USAGE);
    return error instanceof BadUsageError ? 2 : 1;
  }
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  if (argv[0] === 'certs') return certsCommand(argv.slice(1), io);
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    println(io.out, USAGE);
    return 0;
  }
  const allowed = ALLOWED[command];
  if (!allowed) throw new BadUsageError(`unknown command '${command}'`);
  const extra = Object.keys(values).find((name) => name !== 'help' && !allowed.includes(name));
  if (extra) throw new BadUsageError(`'${command}' takes no --${extra}`);
  if (values.namespace !== undefined && values.amqp === undefined) throw new BadUsageError('--namespace goes with --amqp');
  const amqp = values.amqp === undefined ? undefined : { url: values.amqp, namespace: values.namespace };
  switch (command) {
    case 'run':
      return runCommand({ file: one(rest, 'run', '<topology.ts>'), node: values.node, amqp, exportName: values.export, keepRunning: values['keep-running'] ?? false }, io);
    case 'graph':
      return graphCommand({ file: one(rest, 'graph', '<topology.ts>'), exportName: values.export, dot: values.dot ?? false }, io);
    case 'status':
      if (rest.length > 1) throw new BadUsageError('status takes at most one address');
      return statusCommand({ address: rest[0], node: values.node, amqp, json: values.json ?? false }, io);
    default:
      return controlCommand(command as 'restart' | 'stop' | 'start', one(rest, command, '<address>'), amqp, io);
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new BadUsageError(describe(error));
  }
}

function one(rest: string[], command: string, what: string): string {
  if (rest.length !== 1) throw new BadUsageError(`${command} takes exactly one ${what}`);
  return rest[0];
}
