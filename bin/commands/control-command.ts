import type { Address, ChildStatus } from '../../index.ts';
import type { ControlAction } from '../../node/index.ts';
import { childConfigText, type ChildConfigArgs } from '../child-config.ts';
import { connector } from '../connector.ts';
import type { AmqpArgs } from '../rabbit-transport.ts';
import { println, type CommandIo } from '../io.ts';

const DONE: Record<ControlAction, string> = { restart: 'restarted', stop: 'stopped', start: 'started', startChild: 'started', stopChild: 'stopped' };

export interface ControlArgs extends ChildConfigArgs {
  action: 'restart' | 'stop' | 'start';
  address: Address;
  amqp?: AmqpArgs;
  /** How long to wait for the node's answer. */
  timeoutMs?: number;
}

/**
 * `airlock restart|stop|start <address> [--amqp URL] [--timeout ms]`: asks the node hosting
 * `address` (its first segment, checked by the caller) to act on exactly that child, as its
 * supervisor's strategy says. Over the broker the request is signed with the control key file
 * (see `controlKeyPath`). `start` with `--config` or `--config-file` starts a new child of the
 * dynamic supervisor above `address` with that config (`startChild`), checked on the node
 * against the template's schema.
 */
export async function controlCommand(args: ControlArgs, io: CommandIo): Promise<number> {
  const config = await childConfigText(args, io.cwd);
  const connect = await connector(io, args.amqp, { signed: true, timeoutMs: args.timeoutMs });
  try {
    const client = await connect.open(args.address.split('/')[0]);
    const outcome = config === undefined ? await client[args.action](args.address) : await client.startChild(args.address, config);
    println(io.out, `${DONE[args.action]} ${outcome.address}: ${summary(outcome.status)}`);
  } finally {
    await connect.close();
  }
  return 0;
}

function summary(status: ChildStatus): string {
  const depth = status.mailboxDepth === undefined ? '' : `, mailbox ${status.mailboxDepth}`;
  return `${status.state}, restarts ${status.restarts}${depth}`;
}
