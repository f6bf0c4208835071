import type { Address } from './address.ts';
import type { ActorDefinition, Handlers } from './actor.ts';
import type { ActorContext } from './context.ts';
import type { Envelope } from './envelope.ts';
import { machineBehaviour, type MachineOutcomes } from './machine-behaviour.ts';
import { isThenable } from './outcome.ts';
import type { AnyProtocol } from './protocol.ts';

/** One incarnation's way of handling a message; returns the handler's result (maybe a promise). */
export interface Behaviour {
  receive: (envelope: Envelope) => unknown;
  /** Set by machine behaviours when the machine reached a final state. */
  readonly done?: boolean;
  /** Machine behaviours: the machine's current state value, for the live figures. */
  stateValue?(): unknown;
  dispose(): void;
}

/** See `SystemOptions.beforeHandle`: a simulation's fault injector. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a definition of any protocol
export type BeforeHandle = (address: Address, definition: ActorDefinition<any>, envelope: Envelope) => void;

/**
 * Builds one incarnation's behaviour from the actor's definition: a machine started on the
 * context, or the handlers its `setup` returns (a promise of them when `setup` is async).
 * Throws what `setup` or the machine's start throws.
 */
export function createBehaviour<P extends AnyProtocol>(
  definition: ActorDefinition<P>,
  context: ActorContext<P>,
  /** Made for machines only: a plain-handler restart allocates nothing for them. */
  outcomes: () => MachineOutcomes,
  inject: BeforeHandle | undefined,
): Behaviour | Promise<Behaviour> {
  // No closure per start: a spawn of 100,000 actors makes 100,000 behaviours and nothing else here.
  if (definition.kind !== 'handler') return faulty(machineBehaviour(definition, context, outcomes()), inject, context, definition);
  const handlers = definition.setup(context);
  if (!isThenable(handlers)) return faulty(handlerBehaviour(handlers, context), inject, context, definition);
  return Promise.resolve(handlers).then((resolved) => faulty(handlerBehaviour(resolved, context), inject, context, definition));
}

function faulty<P extends AnyProtocol>(behaviour: Behaviour, inject: BeforeHandle | undefined, context: ActorContext<P>, definition: ActorDefinition<P>): Behaviour {
  return inject ? withFaults(behaviour, inject, context.address, definition) : behaviour;
}

function handlerBehaviour<P extends AnyProtocol>(handlers: Handlers<P>, context: ActorContext<P>): Behaviour {
  return new HandlerBehaviour(handlers as Record<string, (body: unknown, context: unknown) => unknown>, context);
}

/** One object, its methods on the prototype: no closures per incarnation (idle actors stay small). */
class HandlerBehaviour implements Behaviour {
  constructor(
    private readonly byType: Record<string, (body: unknown, context: unknown) => unknown>,
    private readonly context: unknown,
  ) {}

  receive(envelope: Envelope): unknown {
    return this.byType[envelope.type](envelope.body, this.context);
  }

  dispose(): void {}
}

/** Wrapped only when a fault injector is set, so the normal path pays nothing for it. */
function withFaults<P extends AnyProtocol>(behaviour: Behaviour, inject: BeforeHandle, address: Address, definition: ActorDefinition<P>): Behaviour {
  const receive = behaviour.receive;
  behaviour.receive = (envelope) => {
    inject(address, definition, envelope);
    return receive.call(behaviour, envelope);
  };
  return behaviour;
}
