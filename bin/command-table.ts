/**
 * Every `airlock` command: its usage, the options it takes and where its code lives. Commands
 * are imported only when run, so `airlock --help` loads none of amqplib, xstate or rxjs.
 */
import { BadUsageError } from './errors.ts';
import type { CommandIo } from './io.ts';
import { addressArgument, amqpOption, flag, integerOption, onePositional, stringOption, type ParsedArgs } from './parsed-args.ts';

export interface CommandEntry {
  /** The synopsis line(s), as `airlock --help` lists them. */
  readonly usage: readonly string[];
  /** What `airlock <command> --help` adds below the synopsis. */
  readonly details: readonly string[];
  readonly options: readonly string[];
  /** Imports the command's module (only now) and runs it. */
  readonly run: (args: ParsedArgs, io: CommandIo) => Promise<number>;
}

const TIMEOUT = '--timeout <ms> bounds the wait for each answer (30000 over --amqp, 35000 over the admin socket).';

export const COMMANDS: Record<string, CommandEntry> = {
  run: {
    usage: ['airlock run <topology.ts> [--node <name>] [--amqp <url> [--namespace <ns>]] [--export <name>] [--keep-running] [--ops-port <port>]'],
    details: [
      'Starts every node of the topology (its default export, or --export <name>), or only --node <name>,',
      'with a control actor and an admin socket per node; SIGINT/SIGTERM stop it gracefully. A root',
      'tree that gives up stops the process with exit 1, unless --keep-running. --ops-port serves each',
      "node's Prometheus figures at http://127.0.0.1:<port>/metrics (nodes in start order on port, port+1, …; 0: free ones).",
    ],
    options: ['node', 'amqp', 'namespace', 'export', 'keep-running', 'ops-port'],
    run: async (args, io) =>
      (await import('./commands/run-command.ts')).runCommand(
        {
          file: onePositional(args, '<topology.ts>'),
          node: stringOption(args, 'node'),
          amqp: amqpOption(args),
          exportName: stringOption(args, 'export'),
          keepRunning: flag(args, 'keep-running'),
          opsPort: integerOption(args, 'ops-port'),
        },
        io,
      ),
  },
  status: {
    usage: ['airlock status [<address>] [--node <name>] [--json] [--amqp <url> [--namespace <ns>]] [--timeout <ms>]'],
    details: [
      'The supervision tree of each node (every admin socket here, or over --amqp every node answering a',
      'roll call of the namespace within --timeout or 1 s; or only --node): state, restarts, mailbox depth,',
      'handled and failed counts. Exit 1 if a node is unreachable.',
      TIMEOUT,
    ],
    options: ['node', 'amqp', 'namespace', 'json', 'timeout'],
    run: async (args, io) => {
      if (args.rest.length > 1) throw new BadUsageError('status takes at most one address');
      const address = args.rest[0] === undefined ? undefined : addressArgument(args.rest[0]);
      const options = { address, node: stringOption(args, 'node'), amqp: amqpOption(args), json: flag(args, 'json'), timeoutMs: integerOption(args, 'timeout', { positive: true }) };
      return (await import('./commands/status-command.ts')).statusCommand(options, io);
    },
  },
  restart: controlEntry('restart', 'Restarts the child at <address> as its supervisor\'s strategy says.'),
  stop: controlEntry('stop', 'Stops the child at <address>; it stays down until `airlock start` (OTP\'s terminate_child); a dynamic supervisor\'s child is removed.'),
  start: controlEntry('start', [
    'Starts the stopped child at <address> again, or a new child <dynamic supervisor>/<id> from its template.',
    "--config <json> (or --config-file <path>) starts a new child with that config, which the template's",
    'schema checks on the node (INVALID_SPEC if it does not fit; DUPLICATE_CHILD if the id is taken).',
  ]),
  graph: {
    usage: ['airlock graph <topology.ts> [--export <name>] [--dot]'],
    details: ['Draws the supervision trees without starting anything; --dot prints Graphviz.'],
    options: ['export', 'dot'],
    run: async (args, io) =>
      (await import('./commands/graph-command.ts')).graphCommand({ file: onePositional(args, '<topology.ts>'), exportName: stringOption(args, 'export'), dot: flag(args, 'dot') }, io),
  },
  'dead-letters': {
    usage: ['airlock dead-letters list|requeue|purge [--amqp <url>] [--namespace <ns>] [--timeout <ms>]'],
    details: [
      'The dead-letter queue <namespace>:$dead-letters (broker amqp://localhost and namespace airlock',
      'unless given). list: each dead letter with its reason, error and address, then the count.',
      'requeue: republishes each one to its address\'s queue, removing it only once the broker confirmed',
      'the copy (one whose queue is gone stays). purge: empties the queue.',
      '--timeout <ms> bounds the broker connection and each confirm (10000).',
    ],
    options: ['amqp', 'namespace', 'timeout'],
    run: async (args, io) => {
      const action = onePositional(args, 'action (list, requeue or purge)');
      if (!isDeadLetterAction(action)) throw new BadUsageError(`dead-letters takes list, requeue or purge, not '${action}'`);
      const options = { action, url: stringOption(args, 'amqp'), namespace: stringOption(args, 'namespace'), timeoutMs: integerOption(args, 'timeout', { positive: true }) };
      return (await import('./commands/dead-letters-command.ts')).deadLettersCommand(options, io);
    },
  },
  observe: {
    usage: ['airlock observe [--amqp <url>[,<url>…] --namespace <ns> [--node <name,…>] | --socket <path>] [--port <p>] [--listen <addr>]'],
    details: [
      'Serves a live web page of the nodes: supervision trees, per-actor figures, events, dead letters, and',
      'restart/stop/start and requeue buttons (each confirmed, signed here with the control key, audited on',
      'stdout). Every node with an admin socket here (or --socket <dir|node.sock>), or over --amqp every node',
      'answering a roll call of the namespace (every 3 s), or only --node <name,…>.',
      'Loopback on --port (any free port unless given); --listen <addr> serves there with a token printed once.',
    ],
    options: ['amqp', 'namespace', 'node', 'socket', 'port', 'listen'],
    run: async (args, io) => {
      if (args.rest.length > 0) throw new BadUsageError('observe takes no positional arguments');
      const options = {
        amqp: stringOption(args, 'amqp'),
        namespace: stringOption(args, 'namespace'),
        node: stringOption(args, 'node'),
        socket: stringOption(args, 'socket'),
        port: integerOption(args, 'port'),
        listen: stringOption(args, 'listen'),
      };
      return (await import('./commands/observe-command.ts')).observeCommand(options, io);
    },
  },
  certs: {
    usage: ['airlock certs --out <dir> --names <name,name,…> [--ca-name <name>] [--dns <name,…>] [--ips <ip,…>] [--days <n>]'],
    details: [
      'A test CA (ca.pem, ca.key) and an ECDSA P-256 certificate per name (<name>.pem, <name>.key) for both',
      'TLS sides, with CN and SAN (DNS name, urn:airlock:<name>, extra --dns names and --ips); keys 0600.',
    ],
    options: ['out', 'names', 'ca-name', 'dns', 'ips', 'days'],
    run: async (args, io) => {
      if (args.rest.length > 0) throw new BadUsageError('certs takes no positional arguments');
      return (await import('./commands/certs-command.ts')).certsCommand(args.values as Record<string, string | undefined>, io);
    },
  },
  keygen: {
    usage: ['airlock keygen --out <dir>'],
    details: ["Writes the split broker Oracle's keys: <dir>/oracle.key (secrets, mode 0600, never overwritten) and <dir>/oracle.pub (public)."],
    options: ['out'],
    run: async (args, io) => (await import('./commands/keygen-command.ts')).keygenCommand({ out: stringOption(args, 'out') }, io),
  },
  sim: {
    usage: [
      'airlock sim --list',
      'airlock sim (--scenario <name|all> | --file <scenario.ts> [--export <name>]) (--seed <n> | --seeds <count> [--from <n>]) [--break <breakage>] [--trace]',
    ],
    details: [
      'Runs seeded simulations and checks every invariant: pass/FAIL and the trace hash per seed; a failure',
      'prints the command that replays it. --file runs a scenario module of yours (its default export, or',
      '--export <name>). --break ack-before-handle|no-dedupe breaks the transport on purpose. Exit 1 if any seed failed.',
    ],
    options: ['list', 'scenario', 'file', 'export', 'seed', 'seeds', 'from', 'break', 'trace'],
    run: async (args, io) => {
      const { simArgs } = await import('./sim-args.ts');
      return (await import('./commands/sim-command.ts')).simCommand(simArgs(args), io);
    },
  },
};

function controlEntry(action: 'restart' | 'stop' | 'start', what: string | string[]): CommandEntry {
  const configurable = action === 'start';
  const config = configurable ? ' [--config <json> | --config-file <path>]' : '';
  return {
    usage: [`airlock ${action} <address>${config} [--amqp <url> [--namespace <ns>]] [--timeout <ms>]`],
    details: [
      ...(typeof what === 'string' ? [what] : what),
      'Over --amqp the request is signed with the control key: $AIRLOCK_CONTROL_KEY_FILE, or .airlock/control.key.',
      TIMEOUT,
    ],
    options: ['amqp', 'namespace', 'timeout', ...(configurable ? ['config', 'config-file'] : [])],
    run: async (args, io) => {
      const options = {
        action,
        address: addressArgument(onePositional(args, '<address>')),
        amqp: amqpOption(args),
        timeoutMs: integerOption(args, 'timeout', { positive: true }),
        config: stringOption(args, 'config'),
        configFile: stringOption(args, 'config-file'),
      };
      return (await import('./commands/control-command.ts')).controlCommand(options, io);
    },
  };
}

const DEAD_LETTER_ACTIONS = ['list', 'requeue', 'purge'] as const;

function isDeadLetterAction(action: string): action is (typeof DEAD_LETTER_ACTIONS)[number] {
  return (DEAD_LETTER_ACTIONS as readonly string[]).includes(action);
}

const FOOTER = [
  'Admin sockets live in $AIRLOCK_ADMIN_DIR, or .airlock/ under the working directory.',
  'Over --amqp, restart/stop/start sign with the control key: $AIRLOCK_CONTROL_KEY_FILE, or control.key there.',
  '`airlock <command> --help` describes one command.',
];

/** Every command's synopsis. */
export const USAGE = ['usage:', ...Object.values(COMMANDS).flatMap((entry) => entry.usage.map((line) => `  ${line}`)), ...FOOTER].join('\n');

/** One command's synopsis and what it does. */
export function commandUsage(name: string): string {
  const entry = COMMANDS[name];
  return ['usage:', ...entry.usage.map((line) => `  ${line}`), '', ...entry.details].join('\n');
}
