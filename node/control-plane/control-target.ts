import { isWithin, UnknownAddressError, type ActorStats, type Address, type ChildStatus } from '../../lib/index.ts';
import type { RunningTopology } from '../run.ts';
import { CONTROL_SEGMENT } from './control-protocol.ts';
import { EventLog, type LoggedEvent } from './event-log.ts';
import { NotSupervisedError } from '../../supervisors/errors.ts';
import { startDynamicChild, stopDynamicChild } from '../../supervisors/dynamic-children.ts';
import { childConfig, dynamicParent, lastSegment, requireDynamicParent, whenReachable } from './dynamic-target.ts';

/** What one node's control actor acts on: the part of a running topology this node hosts. */
export interface ControlTarget {
  readonly node: string;
  /** The transport's name, reported in status. */
  readonly transport: string;
  /** The node's tree, or the subtree at `address`. */
  status(address?: Address): ChildStatus[];
  /** The addresses of the node's actors, or of those at or under `address` (unordered), and the clock's now. */
  actors(address?: Address): { at: number; addresses: Address[] };
  /** The live figures of the actor at `address`, if it still runs here. */
  statsOf(address: Address): ActorStats | undefined;
  /** The node's recent system events after `after` (see EventLog). */
  events(after?: number, limit?: number): { epoch: string; events: LoggedEvent[]; next?: number };
  /** A control request was refused: published as a `control-refused` event. */
  refused(request: string, address: Address, from: Address | undefined, reason: Error): void;
  restart(address: Address): Promise<ChildStatus>;
  stop(address: Address): Promise<ChildStatus>;
  /** Starts a stopped child again; under a dynamic supervisor, an id it lacks is a new child from the template. */
  start(address: Address): Promise<ChildStatus>;
  /** A new child of the dynamic supervisor `parentOf(address)`, its config given as JSON text. */
  startChild(address: Address, config?: string): Promise<ChildStatus>;
  /** Stops a dynamic supervisor's child and removes it. */
  stopChild(address: Address): Promise<ChildStatus>;
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
  // From the node's start, so an observer asking later sees what happened before it asked.
  const log = new EventLog(running.system, node);
  return {
    node,
    transport: running.system.transport.name,
    status: (address) => (address === undefined ? running.nodeStatus(node) : [statusOf(hosted(address))]),
    events(after, limit) {
      return { epoch: log.epoch, ...log.since(after, limit) };
    },
    actors(address) {
      if (address !== undefined && !isWithin(address, node)) throw new NotSupervisedError(address, `node ${node} does not host it`);
      return { at: running.system.clock.now(), addresses: running.system.actorAddresses(address ?? node) };
    },
    statsOf: (address) => running.system.actorStatsOf(address),
    refused(request, address, from, reason) {
      running.system.emit({ kind: 'control-refused', address, at: running.system.clock.now(), request, ...(from === undefined ? {} : { from }), reason });
    },
    async restart(address) {
      await running.restart(hosted(address));
      return statusOf(address);
    },
    async stop(address) {
      // A dynamic child that an operator stops is gone, as one that ended for good (its id is free again).
      const dynamic = dynamicParent(running, hosted(address));
      if (dynamic) {
        const stopped = await stopDynamicChild(dynamic, lastSegment(address));
        await whenReachable(running.system);
        return stoppedStatus(stopped, address);
      }
      await running.stopChild(address);
      return statusOf(address);
    },
    async start(address) {
      const dynamic = dynamicParent(running, hosted(address));
      if (dynamic && !dynamic.childById(lastSegment(address))) startDynamicChild(dynamic, lastSegment(address));
      else running.startChild(address);
      await whenReachable(running.system);
      return statusOf(address);
    },
    async startChild(address, config) {
      const parent = requireDynamicParent(running, hosted(address));
      startDynamicChild(parent, lastSegment(address), childConfig(address, config));
      await whenReachable(running.system);
      return statusOf(address);
    },
    async stopChild(address) {
      const parent = requireDynamicParent(running, hosted(address));
      const stopped = await stopDynamicChild(parent, lastSegment(address));
      await whenReachable(running.system);
      return stoppedStatus(stopped, address);
    },
  };
}

/** A removed child's last status: it is in no tree any more. */
function stoppedStatus(last: { state: ChildStatus['state']; restarts: number }, address: Address): ChildStatus {
  return { address, kind: 'actor', state: last.state, restarts: last.restarts };
}

function findStatus(tree: readonly ChildStatus[], address: Address): ChildStatus | undefined {
  for (const status of tree) {
    if (status.address === address) return status;
    if (isWithin(address, status.address)) return findStatus(status.children ?? [], address);
  }
  return undefined;
}
