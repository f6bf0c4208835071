import { defineActor, errorMessage, errorToWire, type HandlerDefinition } from '../../lib/index.ts';
import type { ControlKey } from './control-key.ts';
import { Control, type ControlAction, type ControlFailure, type ControlProtocol, type TargetRequest } from './control-protocol.ts';
import { STATS_BUCKETS_MS, statsPage } from './stats-page.ts';
import type { ControlTarget } from './control-target.ts';
import { ControlVerifier, type ControlVerifierOptions } from './control-verifier.ts';

/**
 * A node's control actor: an ordinary actor at `<node>/$control`, so it is reachable over
 * whatever transport the node runs on. `status` answers anyone; restart, stop and start run
 * only with an authenticator made with `key` (see ControlVerifier). It never throws: a refused
 * request is answered with `ok: false` and a typed error code, and the actor stays up for the
 * next one.
 */
export function controlActor(target: ControlTarget, key: ControlKey, options: ControlVerifierOptions = {}): HandlerDefinition<ControlProtocol> {
  return defineActor({
    protocol: Control,
    // Operators' requests are few; a short mailbox keeps a flood from queueing forever.
    mailbox: { capacity: 64, overflow: 'reject' },
    setup: (context) => {
      const verifier = new ControlVerifier(key, target.node, options);
      const act = async (type: ControlAction, request: TargetRequest) => {
        try {
          verifier.check(type, request, context.clock.now());
        } catch (error) {
          // An operator wants to know who knocks: a refused request leaves a line (and who sent it).
          const code = (error as { code?: string }).code ?? 'INTERNAL';
          context.log.warn({ type, target: request.address, from: context.envelope?.from, code }, 'control request refused');
          return refuse(type, request.address, error);
        }
        try {
          const status = type === 'startChild' ? await target.startChild(request.address, request.config) : await target[type](request.address);
          return { ok: true as const, address: request.address, status };
        } catch (error) {
          return refuse(type, request.address, error);
        }
      };
      /** Every refusal is an event too, so an observer sees who knocked and why. */
      const refuse = (type: string, address: string, error: unknown): ControlFailure => {
        const answer = failure(error);
        target.refused(type, address, context.envelope?.from, error instanceof Error ? error : new Error(answer.error.message));
        return answer;
      };
      return {
        status({ address }) {
          try {
            return { ok: true as const, node: target.node, transport: target.transport, tree: target.status(address) };
          } catch (error) {
            return refuse('status', address ?? target.node, error);
          }
        },
        stats(request) {
          try {
            const { at, addresses } = target.actors(request.address);
            const page = statsPage(addresses, request, (address) => target.statsOf(address));
            return { ok: true as const, node: target.node, transport: target.transport, at, bucketsMs: [...STATS_BUCKETS_MS], ...page };
          } catch (error) {
            return refuse('stats', request.address ?? target.node, error);
          }
        },
        events(request) {
          const { epoch, events, next } = target.events(request.after, request.limit);
          return { ok: true as const, node: target.node, epoch, events, ...(next === undefined ? {} : { next }) };
        },
        restart: (request) => act('restart', request),
        stop: (request) => act('stop', request),
        start: (request) => act('start', request),
        startChild: (request) => act('startChild', request),
        stopChild: (request) => act('stopChild', request),
      };
    },
  });
}

export function failure(error: unknown): ControlFailure {
  return { ok: false, error: errorToWire(error instanceof Error ? error : new Error(errorMessage(error))) };
}
