import type { AnyStateMachine, EventFromLogic, InputFrom } from 'xstate';
import type { ActorContext } from './context.ts';
import type { Envelope } from './envelope.ts';
import type { AnyProtocol, Body, MessageType, Reply } from './protocol.ts';
import type { MailboxOptions } from './ports/transport.ts';

/** What a handler returns: the reply for a message that can be asked, nothing otherwise. */
export type HandlerResult<R> = [R] extends [never] ? void | Promise<void> : R | Promise<R>;

/** One function per message type of `P`; the return value of an asked message is its reply. */
export type Handlers<P extends AnyProtocol> = {
  [T in MessageType<P>]: (body: Body<P, T>, context: ActorContext<P>) => HandlerResult<Reply<P, T>>;
};

/** The event an xstate machine receives for each message: its type, its body, its envelope. */
export type MachineEvent<P extends AnyProtocol> = {
  [T in MessageType<P>]: { type: T; body: Body<P, T>; envelope: Envelope };
}[MessageType<P>];

interface CommonDefinition<P extends AnyProtocol> {
  readonly protocol: P;
  /** Mailbox bounds; the default is 10,000 messages, rejecting when full. */
  readonly mailbox?: Partial<MailboxOptions>;
}

/**
 * A plain-handler actor. `setup` runs once per incarnation and returns the handlers; state kept
 * in its closure is therefore fresh after every restart, as a restarted process's would be.
 */
export interface HandlerDefinition<P extends AnyProtocol> extends CommonDefinition<P> {
  readonly kind: 'handler';
  readonly setup: (context: ActorContext<P>) => Handlers<P>;
}

/**
 * An xstate actor. `machine` is the machine itself, or a function that builds it per
 * incarnation (to close over the context to tell, ask and reply). `input` is computed for each
 * incarnation and handed to the machine as xstate's `input`, from which its context starts.
 * Its state persists across messages; a restart starts it again from its initial state and a
 * fresh input; reaching a final state stops the actor normally.
 */
export interface MachineDefinition<P extends AnyProtocol> extends CommonDefinition<P> {
  readonly kind: 'machine';
  readonly machine: AnyStateMachine | ((context: ActorContext<P>) => AnyStateMachine);
  readonly input?: (context: ActorContext<P>) => unknown;
}

export type ActorDefinition<P extends AnyProtocol = AnyProtocol> = HandlerDefinition<P> | MachineDefinition<P>;

export function defineActor<P extends AnyProtocol>(definition: Omit<HandlerDefinition<P>, 'kind'>): HandlerDefinition<P> {
  return { kind: 'handler', ...definition };
}

/** What `defineMachineActor` takes: the input is typed by the machine's own input type. */
export interface MachineActorOptions<P extends AnyProtocol, M extends AnyStateMachine> extends CommonDefinition<P> {
  readonly machine: M | ((context: ActorContext<P>) => M);
  readonly input?: (context: ActorContext<P>) => InputFrom<M>;
}

/**
 * A machine event the protocol never sends: a type it lacks, or a body that does not fit the
 * protocol's. A machine that accepts any type (`{ type: string }`) accepts the protocol's.
 */
type ForeignEvent<P extends AnyProtocol, E> = E extends { type: infer T extends string }
  ? string extends T
    ? never
    : [Extract<MachineEvent<P>, { type: T }>] extends [never]
      ? E
      : Extract<MachineEvent<P>, { type: T }> extends E
        ? never
        : E
  : never;

/** Passes when every event machine `M` expects is one of `MachineEvent<P>`; else names the others. */
type EventsFitProtocol<P extends AnyProtocol, M extends AnyStateMachine> = 0 extends 1 & EventFromLogic<M>
  ? unknown
  : [ForeignEvent<P, EventFromLogic<M>>] extends [never]
    ? unknown
    : { readonly machine: { readonly 'events the protocol never sends': ForeignEvent<P, EventFromLogic<M>> } };

export function defineMachineActor<P extends AnyProtocol, M extends AnyStateMachine>(
  definition: MachineActorOptions<P, M> & EventsFitProtocol<P, M>,
): MachineDefinition<P> {
  return { kind: 'machine', ...(definition as MachineActorOptions<P, M>) } as MachineDefinition<P>;
}
