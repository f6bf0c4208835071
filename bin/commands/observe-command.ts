import { adminDirectory } from '../../node/control-plane/admin-socket-path.ts';
import { controlKeyPath, readControlKey } from '../../node/control-plane/control-key-file.ts';
import { BadUsageError } from '../errors.ts';
import { println, type CommandIo } from '../io.ts';
import { listenForStop } from '../stop-request.ts';
import { socketOption, startObserver, type ObservedNodes } from '../observer/start-observer.ts';

export interface ObserveArgs {
  /** One broker URL or several, comma-separated (tried in order). */
  amqp?: string;
  namespace?: string;
  /** The nodes to watch over the broker, comma-separated (every node answering a roll call when not given). */
  node?: string;
  socket?: string;
  port?: number;
  listen?: string;
}

/**
 * `airlock observe`: serves a live page of the nodes' supervision trees, their figures and
 * events, with restart/stop/start and dead-letter requeue; audits each action on stdout. Runs
 * until SIGINT/SIGTERM.
 */
export async function observeCommand(args: ObserveArgs, io: CommandIo): Promise<number> {
  const stop = listenForStop(io.env);
  try {
    const observer = await startObserver({
      nodes: await observedNodes(args, io),
      port: args.port ?? 0,
      listen: args.listen,
      audit: (record) => println(io.out, `airlock: audit ${JSON.stringify({ at: new Date().toISOString(), ...record })}`),
    });
    println(io.out, `airlock: observer on ${observer.url}`);
    if (observer.token !== undefined) println(io.out, 'airlock: the token in this address is needed for every request; it is printed only now');
    println(io.out, 'airlock: ready');
    await stop.requested;
    await observer.close();
    return 0;
  } finally {
    stop.dispose();
  }
}

async function observedNodes(args: ObserveArgs, io: CommandIo): Promise<ObservedNodes> {
  if (args.amqp !== undefined && args.socket !== undefined) throw new BadUsageError('observe takes --amqp or --socket, not both');
  if (args.amqp === undefined) {
    if (args.namespace !== undefined) throw new BadUsageError('--namespace goes with --amqp');
    if (args.node !== undefined) throw new BadUsageError('--node goes with --amqp (over admin sockets every node found is watched)');
    return args.socket === undefined ? { kind: 'sockets', directory: adminDirectory(io.env, io.cwd), cwd: io.cwd } : socketOption(args.socket, io.cwd);
  }
  const nodes = args.node === undefined ? undefined : args.node.split(',').filter(Boolean);
  if (nodes?.length === 0) throw new BadUsageError('--node needs at least one name (without it, every node of the namespace is watched)');
  const urls = args.amqp.split(',').filter(Boolean);
  // Read first, so a missing or unsafe key fails before any connection.
  const key = await readControlKey(controlKeyPath(io.env, io.cwd));
  return { kind: 'broker', urls, namespace: args.namespace ?? 'airlock', nodes, key };
}
