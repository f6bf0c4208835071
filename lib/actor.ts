import type { AnyStateMachine } from 'xstate';
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
 * An xstate actor: `machine` builds the machine for one incarnation (it may close over the
 * context to tell, ask and reply). Its state persists across messages; a restart starts it
 * again from its initial state; reaching a final state stops the actor normally.
 */
export interface MachineDefinition<P extends AnyProtocol> extends CommonDefinition<P> {
  readonly kind: 'machine';
  readonly machine: (context: ActorContext<P>) => AnyStateMachine;
}

export type ActorDefinition<P extends AnyProtocol = AnyProtocol> = HandlerDefinition<P> | MachineDefinition<P>;

export function defineActor<P extends AnyProtocol>(definition: Omit<HandlerDefinition<P>, 'kind'>): HandlerDefinition<P> {
  return { kind: 'handler', ...definition };
}

export function defineMachineActor<P extends AnyProtocol>(
  definition: Omit<MachineDefinition<P>, 'kind'>,
): MachineDefinition<P> {
  return { kind: 'machine', ...definition };
}
