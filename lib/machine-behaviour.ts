import { createActor, type ActorOptions, type AnyActor, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { MachineDefinition } from './actor.ts';
import type { Behaviour } from './behaviour.ts';
import type { ActorContext } from './context.ts';
import type { Clock, Timer } from './ports/clock.ts';
import type { AnyProtocol } from './protocol.ts';
import { bindMachineContext } from './machine-reply.ts';
import { asError } from './outcome.ts';

/** What the machine does on its own, outside any message, that the cell must act on at once. */
export interface MachineOutcomes {
  /** The machine errored in a delayed transition, an invoked actor without onError, …: crash now. */
  failed(error: Error): void;
  /** The machine reached a final state on its own (e.g. after a delay): stop normally. */
  finished(): void;
}

/** xstate's delays (`after`, delayed `sendTo`/`raise`) on the system's Clock port, so virtual time drives them. */
function xstateClock(clock: Clock): ActorOptions<AnyStateMachine>['clock'] {
  return {
    setTimeout: (fire: () => void, delayMs: number) => clock.setTimer(delayMs, fire),
    clearTimeout: (timer: Timer) => timer.cancel(),
  };
}

/**
 * One incarnation of a machine actor: an xstate actor fed each message as a
 * `{ type, body, envelope }` event. An error while a message (or the start) is processed is
 * thrown back to the cell, which blames that message; an error or a final state reached later,
 * from a timer or an invoked actor, goes to `outcomes` as it happens.
 */
export function machineBehaviour<P extends AnyProtocol>(
  definition: MachineDefinition<P>,
  context: ActorContext<P>,
  outcomes: MachineOutcomes,
): Behaviour {
  const machine: AnyStateMachine = typeof definition.machine === 'function' ? definition.machine(context) : definition.machine;
  const actor: AnyActor = createActor(machine, { clock: xstateClock(context.clock), input: definition.input?.(context) });
  bindMachineContext(actor.system, context);
  let inside = false;
  let thrown: Error | undefined;
  const behaviour = {
    done: false as boolean,
    receive(envelope) {
      inside = true;
      try {
        actor.send({ type: envelope.type, body: envelope.body, envelope } as AnyEventObject);
      } finally {
        inside = false;
      }
      if (thrown) throw thrown;
      return undefined;
    },
    dispose: () => actor.stop(),
    stateValue: () => (actor.getSnapshot() as { value?: unknown }).value,
  } satisfies Behaviour;
  // An error observer also keeps xstate from rethrowing machine errors globally.
  actor.subscribe({
    error(error) {
      if (inside) thrown = asError(error);
      else outcomes.failed(asError(error));
    },
    complete() {
      behaviour.done = true;
      if (!inside) outcomes.finished();
    },
  });
  inside = true;
  actor.start();
  inside = false;
  if (thrown) throw thrown;
  return behaviour;
}
