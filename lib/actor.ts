import type { AnyStateMachine } from 'xstate';
import type { ConfigSchema } from './actor-config.ts';
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
 * An xstate actor: `machine` builds the machine for one incarnation (it may close over the
 * context to tell, ask and reply). Its state persists across messages; a restart starts it
 * again from its initial state; reaching a final state stops the actor normally.
 */
export interface MachineDefinition<P extends AnyProtocol, C = any, I = C> extends CommonDefinition<P, C, I> {
  readonly kind: 'machine';
  readonly machine: (context: ActorContext<P, C>) => AnyStateMachine;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a definition of any configuration
export type ActorDefinition<P extends AnyProtocol = AnyProtocol, C = any, I = any> = HandlerDefinition<P, C, I> | MachineDefinition<P, C, I>;

export function defineActor<P extends AnyProtocol, C = undefined, I = C>(definition: Omit<HandlerDefinition<P, C, I>, 'kind'>): HandlerDefinition<P, C, I> {
  return { kind: 'handler', ...definition };
}

export function defineMachineActor<P extends AnyProtocol, C = undefined, I = C>(
  definition: Omit<MachineDefinition<P, C, I>, 'kind'>,
): MachineDefinition<P, C, I> {
  return { kind: 'machine', ...definition };
}
