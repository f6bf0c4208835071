import { isWithin, UnknownAddressError, type Address, type ChildStatus } from '../../lib/index.ts';
import type { RunningTopology } from '../run.ts';
import { CONTROL_SEGMENT } from './control-protocol.ts';
import { NotSupervisedError } from '../../supervisors/errors.ts';

/** What one node's control actor acts on: the part of a running topology this node hosts. */
export interface ControlTarget {
  readonly node: string;
  /** The transport's name, reported in status. */
  readonly transport: string;
  /** The node's tree, or the subtree at `address`. */
  status(address?: Address): ChildStatus[];
  restart(address: Address): Promise<ChildStatus>;
  stop(address: Address): Promise<ChildStatus>;
  start(address: Address): Promise<ChildStatus>;
}

/** The node `node` of a running topology, as its control actor sees it: nothing outside it. */
export function nodeControlTarget(running: RunningTopology, node: string): ControlTarget {
  const hosted = (address: Address): Address => {
    if (!isWithin(address, node)) throw new NotSupervisedError(address, `node ${node} does not host it`);
    if (address.split('/').includes(CONTROL_SEGMENT)) throw new NotSupervisedError(address, 'the control actor is not supervised');
    return address;
  };
  const statusOf = (address: Address): ChildStatus => {
    const found = findStatus(running.nodeStatus(node), address);
    if (!found) throw new UnknownAddressError(address);
    return found;
  };
  return {
    node,
    transport: running.system.transport.name,
    status: (address) => (address === undefined ? running.nodeStatus(node) : [statusOf(hosted(address))]),
    async restart(address) {
      await running.restart(hosted(address));
      return statusOf(address);
    },
    async stop(address) {
      await running.stopChild(hosted(address));
      return statusOf(address);
    },
    async start(address) {
      running.startChild(hosted(address));
      return statusOf(address);
    },
  };
}

function findStatus(tree: readonly ChildStatus[], address: Address): ChildStatus | undefined {
  for (const status of tree) {
    if (status.address === address) return status;
    if (isWithin(address, status.address)) return findStatus(status.children ?? [], address);
  }
  return undefined;
}
