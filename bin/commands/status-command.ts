import type { NodeStatus } from '../../node/index.ts';
// The control plane's and lib's own files, not their faces: see connector.ts.
import { adminDirectory } from '../../node/control-plane/admin-socket-path.ts';
import { AdminSocketError } from '../../node/control-plane/errors.ts';
import { errorMessage } from '../../lib/errors.ts';
import { NoNodesError } from '../errors.ts';
import { connector, type Connector } from '../connector.ts';
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
  // --timeout bounds the roll call as well as each node's answer: every node answering within it is shown.
  const warn = (line: string) => println(io.err, `airlock: ${line}`);
  const connect = await connector(io, args.amqp, { timeoutMs: args.timeoutMs, rollCallWindowMs: args.timeoutMs, warn });
  const statuses: NodeStatus[] = [];
  let unreachable = 0;
  try {
    const nodes = await nodesToAsk(args, connect, io);
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

/** The node named, the address's node, or every node the connector finds (admin sockets here, or a roll call on the broker). */
async function nodesToAsk(args: StatusArgs, connect: Connector, io: CommandIo): Promise<string[]> {
  if (args.node !== undefined) return [args.node];
  if (args.address !== undefined) return [args.address.split('/')[0]];
  const nodes = await connect.nodes();
  if (nodes.length > 0) return nodes;
  if (args.amqp === undefined) throw new AdminSocketError(adminDirectory(io.env, io.cwd), 'no node runs here (no admin sockets); start one with `airlock run`');
  throw new NoNodesError(args.amqp.namespace ?? 'airlock');
}
