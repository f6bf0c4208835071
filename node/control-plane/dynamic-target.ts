import { InvalidSpecError, parentOf, type ActorSystem, type Address } from '../../lib/index.ts';
import { asDynamic } from '../../supervisors/dynamic-children.ts';
import { NotADynamicSupervisorError } from '../../supervisors/errors.ts';
import type { Supervisor } from '../../supervisors/supervisor.ts';
import type { RunningTopology } from '../run.ts';

/** The dynamic supervisor directly above `address` on this node, if that is what is there. */
export function dynamicParent(running: RunningTopology, address: Address): Supervisor | undefined {
  const parent = parentOf(address);
  const found = parent === undefined ? undefined : running.supervisorAt(parent);
  return found?.spec.dynamic ? found : undefined;
}

/** The dynamic supervisor `address` is to be a child of; `NotADynamicSupervisorError` when none is there. */
export function requireDynamicParent(running: RunningTopology, address: Address): Supervisor {
  const parent = parentOf(address);
  if (parent === undefined) throw new NotADynamicSupervisorError(address, 'a node is the child of no supervisor');
  return asDynamic(running.supervisorAt(parent), parent);
}

export function lastSegment(address: Address): string {
  return address.slice(address.lastIndexOf('/') + 1);
}

/**
 * A config as it crossed the wire (JSON text) made data again; the template's schema checks it
 * next. Text that is not JSON is the requester's mistake, refused as a bad spec.
 */
export function childConfig(address: Address, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidSpecError(`of child ${JSON.stringify(address)}`, `config is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Resolves once every mailbox opened so far takes messages and every one freed is gone: over
 * RabbitMQ a new child's queue is declared and bound a few round trips after it started, and an
 * ask sent before that would be refused at once (UNKNOWN_ADDRESS); a removed child's queue is
 * deleted a round trip after it stopped, and an ask sent before that would wait there until it
 * timed out. So whoever started a child may talk to it when told it started, and whoever stopped
 * one is refused at once (UNKNOWN_ADDRESS) when told it stopped, as in-process.
 */
export async function whenReachable(system: ActorSystem): Promise<void> {
  await (system.transport as { ready?: () => Promise<void> }).ready?.();
}
