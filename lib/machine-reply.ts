import type { ActorSystem } from 'xstate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the system of a machine of any kind
type AnyActorSystem = ActorSystem<any>;
import type { ActorContext } from './context.ts';
import type { AnyProtocol } from './protocol.ts';

/**
 * The actor context of each running machine, keyed by its xstate system (one per incarnation,
 * shared by the machines it spawns), so that a machine written as a plain value can reply.
 */
const contexts = new WeakMap<AnyActorSystem, ActorContext<AnyProtocol>>();

export function bindMachineContext(system: AnyActorSystem, context: ActorContext<AnyProtocol>): void {
  contexts.set(system, context);
}

/**
 * An xstate action that answers the message being handled, when it was asked, with what
 * `value` returns: `on: { state: { actions: replyWith(({ context }) => context.count) } }`.
 * It is `ctx.reply` for machines that do not close over the actor context.
 */
export function replyWith<TArgs extends { system: AnyActorSystem }>(value: (args: TArgs) => unknown): (args: TArgs) => void {
  return (args) => contexts.get(args.system)?.reply(value(args));
}
