import { childAddress, type Address, type ChildStatus, type DynamicChild } from '../lib/index.ts';
import { DuplicateChildError, NotADynamicSupervisorError, NotSupervisedError } from './errors.ts';
import { Supervisor } from './supervisor.ts';

/**
 * What a dynamic supervisor's children look like to whoever manages them by address: an actor's
 * `ctx.dynamicSupervisor(address)` on this node, the control actor serving another node's, and
 * the operator's `airlock start|stop`. Each refuses what it cannot do with a typed error.
 */

/** `found` when it is a dynamic supervisor; else `NotADynamicSupervisorError` naming what is there. */
export function asDynamic(found: unknown, address: Address): Supervisor {
  if (!(found instanceof Supervisor)) throw new NotADynamicSupervisorError(address);
  if (!found.spec.dynamic) throw new NotADynamicSupervisorError(address, `${address} is a ${found.spec.strategy} supervisor with fixed children`);
  return found;
}

/**
 * OTP's start_child on a simple_one_for_one: a new child `id` from the template, bound to
 * `config`. Strict: an id the supervisor holds already, running or not, is `DuplicateChildError`
 * (restarting a stopped one is `airlock start`'s business, not an actor's).
 */
export function startDynamicChild(supervisor: Supervisor, id: string, config?: unknown): DynamicChild {
  if (supervisor.childById(id)) throw new DuplicateChildError(childAddress(supervisor.address, id));
  const child = supervisor.startChild(id, { config });
  return dynamicChild(child.status());
}

/** Stops the child within its shutdown and removes it for good: a dynamic child that is stopped is gone. */
export async function stopDynamicChild(supervisor: Supervisor, id: string): Promise<DynamicChild> {
  const child = supervisor.childById(id);
  if (!child) throw new NotSupervisedError(childAddress(supervisor.address, id), `supervisor ${supervisor.address} has no such child`);
  await supervisor.stopChild(id);
  const last = dynamicChild(child.status());
  // It may have gone already (a temporary child that ended removes itself).
  if (supervisor.childById(id) === child) supervisor.deleteChild(id);
  return last;
}

/** Every child held, in start order. */
export function listDynamicChildren(supervisor: Supervisor): DynamicChild[] {
  return (supervisor.status().children ?? []).map(dynamicChild);
}

/** A status (from this process or read off the wire) as a dynamic child. */
export function dynamicChild(status: ChildStatus): DynamicChild {
  return { id: status.address.slice(status.address.lastIndexOf('/') + 1), address: status.address, state: status.state, restarts: status.restarts };
}
