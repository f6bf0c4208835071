import type { AnyStateMachine, EventFromLogic, InputFrom } from 'xstate';
import type { ConfigSchema } from './actor-config.ts';
import type { ActorContext } from './context.ts';
import type { Envelope } from './envelope.ts';
import type { LateReply } from './late-reply.ts';
import type { AnyProtocol, Body, MessageType, Reply } from './protocol.ts';
import type { MailboxOptions } from './ports/transport.ts';

/**
 * What a handler returns: for a message that can be asked, its reply, a promise of it (the
 * mailbox waits for it), or `ctx.replyLater(promise)` (the mailbox does not); nothing otherwise.
 */
export type HandlerResult<R> = [R] extends [never] ? void | Promise<void> : R | Promise<R> | LateReply<R>;

/** One function per message type of `P`; the return value of an asked message is its reply. */
export type Handlers<P extends AnyProtocol> = {
  [T in MessageType<P>]: (body: Body<P, T>, context: ActorContext<P>) => HandlerResult<Reply<P, T>>;
};

/** The event an xstate machine receives for each message: its type, its body, its envelope. */
export type MachineEvent<P extends AnyProtocol> = {
  [T in MessageType<P>]: { type: T; body: Body<P, T>; envelope: Envelope };
}[MessageType<P>];

interface CommonDefinition<P extends AnyProtocol, C, I> {
  readonly protocol: P;
  /** Validates the configuration a child spec gives (`child(id, actor, { config })`); it reaches the actor as `ctx.config`. */
  readonly config?: ConfigSchema<C, I>;
  /** Mailbox bounds; the default is 10,000 messages, rejecting when full. */
  readonly mailbox?: Partial<MailboxOptions>;
}

/**
 * A plain-handler actor. `setup` runs once per incarnation and returns the handlers; state kept
 * in its closure is therefore fresh after every restart, as a restarted process's would be.
 */
export interface HandlerDefinition<P extends AnyProtocol, C = any, I = C> extends CommonDefinition<P, C, I> {
  readonly kind: 'handler';
  /** May be async (e.g. to listen first): messages wait until it resolves; a rejection fails the start. */
  readonly setup: (context: ActorContext<P, C>) => Handlers<P> | Promise<Handlers<P>>;
}

/**
 * An xstate actor. `machine` is the machine itself, or a function that builds it per
 * incarnation (to close over the context to tell, ask and reply). `input` is computed for each
 * incarnation and handed to the machine as xstate's `input`, from which its context starts.
 * Its state persists across messages; a restart starts it again from its initial state and a
 * fresh input; reaching a final state stops the actor normally.
 */
export interface MachineDefinition<P extends AnyProtocol, C = any, I = C> extends CommonDefinition<P, C, I> {
  readonly kind: 'machine';
  readonly machine: AnyStateMachine | ((context: ActorContext<P, C>) => AnyStateMachine);
  readonly input?: (context: ActorContext<P, C>) => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a definition of any configuration
export type ActorDefinition<P extends AnyProtocol = AnyProtocol, C = any, I = any> = HandlerDefinition<P, C, I> | MachineDefinition<P, C, I>;

export function defineActor<P extends AnyProtocol, C = undefined, I = C>(definition: Omit<HandlerDefinition<P, C, I>, 'kind'>): HandlerDefinition<P, C, I> {
  return { kind: 'handler', ...definition };
}

/** What `defineMachineActor` takes: the input is typed by the machine's own input type. */
export interface MachineActorOptions<P extends AnyProtocol, M extends AnyStateMachine, C = undefined, I = C> extends CommonDefinition<P, C, I> {
  readonly machine: M | ((context: ActorContext<P, C>) => M);
  readonly input?: (context: ActorContext<P, C>) => InputFrom<M>;
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

export function defineMachineActor<P extends AnyProtocol, M extends AnyStateMachine, C = undefined, I = C>(
  definition: MachineActorOptions<P, M, C, I> & EventsFitProtocol<P, M>,
): MachineDefinition<P, C, I> {
  return { kind: 'machine', ...(definition as MachineActorOptions<P, M, C, I>) } as MachineDefinition<P, C, I>;
}
