import { defineActor, describe, errorToWire, type HandlerDefinition } from '../../lib/index.ts';
import { Control, type ChildOutcome, type ControlFailure, type ControlProtocol } from './control-protocol.ts';
import type { ControlTarget } from './control-target.ts';

/**
 * A node's control actor: an ordinary actor at `<node>/$control`, so it is reachable over
 * whatever transport the node runs on. It never throws: a refused request is answered with
 * `ok: false` and a typed error code, and the actor stays up for the next one.
 */
export function controlActor(target: ControlTarget): HandlerDefinition<ControlProtocol> {
  const act = async (address: string, action: (address: string) => Promise<ChildOutcome['status']>) => {
    try {
      return { ok: true as const, address, status: await action(address) };
    } catch (error) {
      return failure(error);
    }
  };
  return defineActor({
    protocol: Control,
    // Operators' requests are few; a short mailbox keeps a flood from queueing forever.
    mailbox: { capacity: 64, overflow: 'reject' },
    setup: () => ({
      status({ address }) {
        try {
          return { ok: true as const, node: target.node, transport: target.transport, tree: target.status(address) };
        } catch (error) {
          return failure(error);
        }
      },
      restart: ({ address }) => act(address, target.restart),
      stop: ({ address }) => act(address, target.stop),
      start: ({ address }) => act(address, target.start),
    }),
  });
}

export function failure(error: unknown): ControlFailure {
  return { ok: false, error: errorToWire(error instanceof Error ? error : new Error(describe(error))) };
}
