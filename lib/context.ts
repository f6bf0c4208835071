import type { Logger } from 'pino';
import type { Address } from './address.ts';
import type { ActorDefinition } from './actor.ts';
import type { ActorRef } from './actor-ref.ts';
import type { DynamicSupervisorHandle } from './dynamic-children.ts';
import type { Envelope } from './envelope.ts';
import type { LateReply } from './late-reply.ts';
import type { AnyProtocol, Body, MessageType } from './protocol.ts';
import type { Clock } from './ports/clock.ts';
import type { Links } from './ports/links.ts';
import type { Network } from './ports/network.ts';
import type { Random } from './ports/random.ts';
import type { SpawnOptions } from './spawned-children.ts';

/** Timers that send a message to the actor itself; all are cancelled when the incarnation ends. */
export interface Timers<P extends AnyProtocol> {
  startSingle<T extends MessageType<P>>(key: string, delayMs: number, type: T, body: Body<P, T>): void;
  startPeriodic<T extends MessageType<P>>(key: string, intervalMs: number, type: T, body: Body<P, T>): void;
  cancel(key: string): void;
  isActive(key: string): boolean;
}

/** What an actor may do, handed to its `setup` or machine factory; `C` is its configuration's type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a context of any configuration
export interface ActorContext<P extends AnyProtocol, C = any> {
  readonly address: Address;
  /** The configuration its child spec gave, validated against the definition's `config` schema. */
  readonly config: C;
  /** Structured logging (pino): JSON lines carrying `address`; silent unless the system has a logger. */
  readonly log: Logger;
  readonly self: ActorRef<P>;
  readonly clock: Clock;
  readonly random: Random;
  /**
   * Listeners, connections and datagram sockets obtained here belong to this incarnation: they
   * are closed when it ends, and their callbacks run under its supervision (a throw crashes it).
   */
  readonly network: Network;
  /** AMQP 1.0 listeners and sessions, owned like `network`: closed when the incarnation ends, callbacks supervised. */
  readonly links: Links;
  readonly timers: Timers<P>;
  /** The message being handled, if any. */
  readonly envelope: Envelope | undefined;
  /**
   * The W3C trace context of the message being handled (its `traceparent` header, checked on
   * arrival), if it carries one. Asks this actor makes while handling it carry it on; in a
   * `replyLater` promise, which runs after the handler returned, pass it on yourself:
   * `{ traceparent: ctx.traceparent }` captured in the handler.
   */
  readonly traceparent: string | undefined;
  /** A ref that sends from this actor. */
  ref<Q extends AnyProtocol>(address: Address, protocol: Q): ActorRef<Q>;
  /** Replies to the message being handled (when it was asked); replaces the handler's return value. */
  reply(value: unknown): void;
  /**
   * Answers the message being handled when `answer` settles, while the mailbox moves on at once
   * (Akka's `pipeTo`, OTP's `{noreply, State}` then `gen_server:reply/2`): other messages are
   * handled meanwhile, so many asks can wait at once. Return what it returns from the handler
   * (`poll: (req) => ctx.replyLater(waitForMatch(req))`): the compiler checks the promised type
   * against the message's reply. A rejection answers the asker with that error and does not crash
   * the actor; the answer goes out even if the incarnation ended meanwhile (say what the actor
   * wants the asker to hear then, e.g. resolve pending waits in an `onStop`). Only the first
   * answer counts: after `reply` (or a second `replyLater`) nothing more is sent.
   */
  replyLater<R>(answer: PromiseLike<R>): LateReply<R>;
  /**
   * Spawns a child actor at `<address>/<id>`; it stops when this incarnation ends. With a
   * `restart` type this actor supervises it one_for_one (see `SpawnOptions`).
   */
  spawn<Q extends AnyProtocol>(id: string, definition: ActorDefinition<Q>, options?: SpawnOptions): ActorRef<Q>;
  /**
   * A handle on the dynamic supervisor at `address` (on this node or another): start, stop and
   * list its children. Remote requests go through that node's control actor, signed with this
   * node's control key; the child's `config` is checked there against the template's schema.
   */
  dynamicSupervisor<C = unknown>(address: Address): DynamicSupervisorHandle<C>;
  /** Ends this actor normally once the current message is handled. */
  stop(): void;
  /**
   * Wraps a callback that something outside the mailbox calls (a stream's listener, a request
   * handler): a throw or rejection crashes this incarnation, and calls after it ended are dropped.
   */
  supervise<A extends unknown[]>(callback: (...args: A) => unknown): (...args: A) => void;
  /**
   * Aborted as soon as this incarnation is asked to end (a stop, a kill, a crash), before a handler
   * in progress finished: a handler waiting on something outside (a link coming back, a backoff)
   * gives up on it, so a graceful stop need not wait for its shutdown timeout.
   */
  readonly stopping: AbortSignal;
  /** Runs `cleanup` when this incarnation ends (stop, crash or restart), last registered first. */
  onStop(cleanup: () => void | Promise<void>): void;
}
