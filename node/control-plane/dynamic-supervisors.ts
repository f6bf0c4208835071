import { childAddress, InvalidSpecError, UnknownAddressError, type Address, type DynamicChild, type DynamicSupervisorHandle, type DynamicSupervisors } from '../../lib/index.ts';
import { asDynamic, dynamicChild, listDynamicChildren, startDynamicChild, stopDynamicChild } from '../../supervisors/dynamic-children.ts';
import { NotADynamicSupervisorError } from '../../supervisors/errors.ts';
import type { RunningTopology } from '../run.ts';
import { actorChannel, ControlClient } from './control-client.ts';
import { MAX_CHILD_CONFIG_CHARS } from './control-protocol.ts';
import { whenReachable } from './dynamic-target.ts';

export interface DynamicSupervisorsOptions {
  /** How long a remote request may take (30 s, as the CLI's: a stop may wait out the child's shutdown). */
  timeoutMs?: number;
}

/**
 * What `ctx.dynamicSupervisor(address)` reaches in a running topology. A supervisor of a node
 * this process runs is acted on directly: its actors are the node's own code. Any other node's
 * is asked through its control actor (`startChild`, `stopChild`, `status`), the requests signed
 * with this process's control key (`run(..., { control })`, `.airlock/control.key` under
 * `airlock run`): that node acts only if the key is its own too, as Erlang nodes sharing a
 * cookie; without a key the requests go unsigned and are refused (CONTROL_UNAUTHORIZED), though
 * `list` (a status read) is open as status is.
 */
export function topologyDynamicSupervisors(running: RunningTopology, options: DynamicSupervisorsOptions = {}): DynamicSupervisors {
  return {
    handle: (address) => (running.roots.has(address.split('/')[0]) ? localHandle(running, address) : remoteHandle(running, address, options)),
  };
}

function localHandle(running: RunningTopology, address: Address): DynamicSupervisorHandle {
  const supervisor = () => asDynamic(running.supervisorAt(address), address);
  return {
    address,
    // Through JSON as over the wire, so a config behaves alike wherever the supervisor runs.
    async start(id, options = {}) {
      const started = startDynamicChild(supervisor(), id, parsed(configText(address, id, options.config)));
      await whenReachable(running.system);
      return started;
    },
    async stop(id) {
      const stopped = await stopDynamicChild(supervisor(), id);
      await whenReachable(running.system);
      return stopped;
    },
    list: async () => listDynamicChildren(supervisor()),
  };
}

function remoteHandle(running: RunningTopology, address: Address, options: DynamicSupervisorsOptions): DynamicSupervisorHandle {
  const node = address.split('/')[0];
  // The key is read at each request: `run()` sets it after the topology started.
  const client = () => new ControlClient(actorChannel(running.system, node, { key: running.controlKey, timeoutMs: options.timeoutMs ?? 30_000 }));
  return {
    address,
    async start(id, start = {}) {
      const outcome = await client().startChild(childAddress(address, id), configText(address, id, start.config));
      return dynamicChild(outcome.status);
    },
    async stop(id) {
      return dynamicChild((await client().stopChild(childAddress(address, id))).status);
    },
    list: () => remoteList(client(), address),
  };
}

/** The children, read off the node's status of `address`, which must be a dynamic supervisor. */
async function remoteList(client: ControlClient, address: Address): Promise<DynamicChild[]> {
  const status = await client.status(address).catch((error: unknown) => {
    throw error instanceof UnknownAddressError ? new NotADynamicSupervisorError(address) : error;
  });
  const [found] = status.tree;
  if (found?.kind !== 'supervisor' || found.strategy !== 'dynamic') throw new NotADynamicSupervisorError(address, `${address} is no dynamic supervisor`);
  return (found.children ?? []).map(dynamicChild);
}

/** A config as JSON text, at most `MAX_CHILD_CONFIG_CHARS`; `InvalidSpecError` for what JSON cannot carry. */
function configText(address: Address, id: string, config: unknown): string | undefined {
  if (config === undefined) return undefined;
  const what = `of child ${JSON.stringify(id)} of ${address}`;
  let text: string | undefined;
  try {
    text = JSON.stringify(config);
  } catch (error) {
    throw new InvalidSpecError(what, `config is not JSON data: ${(error as Error).message}`);
  }
  if (text === undefined) throw new InvalidSpecError(what, 'config is not JSON data');
  if (text.length > MAX_CHILD_CONFIG_CHARS) throw new InvalidSpecError(what, `config is ${text.length} characters of JSON, more than ${MAX_CHILD_CONFIG_CHARS}`);
  return text;
}

function parsed(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
