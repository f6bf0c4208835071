import { address as checkAddress, type ChildStatus, type ControlAction } from '../../index.ts';
import { connector } from '../connector.ts';
import type { AmqpArgs } from '../rabbit-transport.ts';
import { println, type CommandIo } from '../io.ts';

const DONE: Record<ControlAction, string> = { restart: 'restarted', stop: 'stopped', start: 'started' };

/**
 * `airlock restart|stop|start <address> [--amqp URL]`: asks the node hosting `address` (its
 * first segment) to act on exactly that child, as its supervisor's strategy says. Over the
 * broker the request is signed with the control key file (see `controlKeyPath`).
 */
export async function controlCommand(action: ControlAction, target: string, amqp: AmqpArgs | undefined, io: CommandIo): Promise<number> {
  const address = checkAddress(target);
  const connect = await connector(io, amqp, true);
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
