import type { Address, ChildStatus } from '../../index.ts';
import type { ControlAction } from '../../node/index.ts';
import { connector } from '../connector.ts';
import type { AmqpArgs } from '../rabbit-transport.ts';
import { println, type CommandIo } from '../io.ts';

const DONE: Record<ControlAction, string> = { restart: 'restarted', stop: 'stopped', start: 'started', startChild: 'started', stopChild: 'stopped' };

/**
 * `airlock restart|stop|start <address> [--amqp URL] [--timeout ms]`: asks the node hosting
 * `address` (its first segment, checked by the caller) to act on exactly that child, as its
 * supervisor's strategy says. Over the broker the request is signed with the control key file
 * (see `controlKeyPath`).
 */
export async function controlCommand(action: ControlAction, address: Address, amqp: AmqpArgs | undefined, io: CommandIo, timeoutMs?: number): Promise<number> {
  const connect = await connector(io, amqp, { signed: true, timeoutMs });
  try {
    const client = await connect.open(address.split('/')[0]);
    const outcome = await client[action](address);
    println(io.out, `${DONE[action]} ${outcome.address}: ${summary(outcome.status)}`);
  } finally {
    await connect.close();
  }
  return 0;
}

function summary(status: ChildStatus): string {
  const depth = status.mailboxDepth === undefined ? '' : `, mailbox ${status.mailboxDepth}`;
  return `${status.state}, restarts ${status.restarts}${depth}`;
}
