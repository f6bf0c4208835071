import type { NodeStatus } from '../../node/index.ts';
// The control plane's and lib's own files, not their faces: see connector.ts.
import { adminDirectory, listAdminNodes } from '../../node/control-plane/admin-socket-path.ts';
import { AdminSocketError } from '../../node/control-plane/errors.ts';
import { errorMessage } from '../../lib/errors.ts';
import { BadUsageError } from '../errors.ts';
import { connector } from '../connector.ts';
import { formatNodeStatus } from '../format-status.ts';
import { println, type CommandIo } from '../io.ts';
import type { AmqpArgs } from '../rabbit-transport.ts';

export interface StatusArgs {
  address?: string;
  node?: string;
  amqp?: AmqpArgs;
  json: boolean;
  /** How long to wait for each node's answer. */
  timeoutMs?: number;
}

/**
 * `airlock status [address] [--node <name>] [--json] [--amqp URL] [--timeout ms]`: the supervision tree of
 * each node asked (every node with an admin socket here, unless told which), with state,
 * restarts and mailbox depth. Exit code 1 when a node could not be reached.
 */
export async function statusCommand(args: StatusArgs, io: CommandIo): Promise<number> {
  const nodes = await nodesToAsk(args, io);
  const connect = await connector(io, args.amqp, { timeoutMs: args.timeoutMs });
  const statuses: NodeStatus[] = [];
  let unreachable = 0;
  try {
    for (const node of nodes) {
      try {
        statuses.push(await (await connect.open(node)).status(args.address));
      } catch (error) {
        if (nodes.length === 1) throw error;
        unreachable++;
        println(io.err, `airlock: node ${node}: ${errorMessage(error)}`);
      }
    }
  } finally {
    await connect.close();
  }
  if (args.json) println(io.out, JSON.stringify(statuses, null, 2));
  else println(io.out, statuses.map((status) => formatNodeStatus(status).join('\n')).join('\n\n'));
  return unreachable > 0 ? 1 : 0;
}

async function nodesToAsk(args: StatusArgs, io: CommandIo): Promise<string[]> {
  if (args.node !== undefined) return [args.node];
  if (args.address !== undefined) return [args.address.split('/')[0]];
  if (args.amqp !== undefined) throw new BadUsageError('status over --amqp needs --node <name> (a broker has no list of nodes)');
  const directory = adminDirectory(io.env, io.cwd);
  const nodes = await listAdminNodes(directory);
  if (nodes.length === 0) throw new AdminSocketError(directory, 'no node runs here (no admin sockets); start one with `airlock run`');
  return nodes;
}
