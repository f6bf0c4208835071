import type { Logger } from 'pino';
import { childAddress, type Address } from './address.ts';
import type { ActorDefinition } from './actor.ts';
import { ActorRef } from './actor-ref.ts';
import type { CellHost } from './cell-host.ts';
import type { ActorContext, Timers } from './context.ts';
import { dynamicChildrenOf, type DynamicSupervisorHandle } from './dynamic-children.ts';
import type { Envelope } from './envelope.ts';
import { ActorStoppedError } from './errors.ts';
import type { Incarnation } from './incarnation.ts';
import { answerWhenSettled, LATE_REPLY, type LateReply, type ReplySink } from './late-reply.ts';
import { traceparentOf } from './trace-context.ts';
import type { Clock } from './ports/clock.ts';
import type { Links } from './ports/links.ts';
import type { Network } from './ports/network.ts';
import type { Random } from './ports/random.ts';
import type { AnyProtocol } from './protocol.ts';
import type { SpawnOptions } from './spawned-children.ts';

/** What a context needs from the cell of its actor. */
export interface ContextCell<P extends AnyProtocol> {
  readonly host: CellHost;
  readonly address: Address;
  readonly self: ActorRef<P>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the definition, for its context
  readonly config: any;
  readonly log: Logger;
  /** `ctx.stop()`: ends `inc` once the message in its handler is handled. */
  stopAfterMessage(inc: Incarnation): void;
  /** `ctx.replyLater`: the ask in hand is answered after its handler returns (for its latency). */
  answersLater(request: Envelope): void;
  /** `ctx.reply`: the ask in hand is answered now (for its latency). */
  answered(request: Envelope): void;
  /** Where late answers go: the asker, by way of the actor's figures. */
  readonly lateReplies: ReplySink;
}

/**
 * The scope one incarnation's setup, handlers and machine get (as xstate gives its logic one):
 * made per incarnation, so whatever a handler keeps hold of (a timer, a socket, `stopping`, a
 * late reply) reaches that incarnation and never the next one.
 */
export class IncarnationContext<P extends AnyProtocol> implements ActorContext<P> {
  constructor(
    private readonly cell: ContextCell<P>,
    private readonly inc: Incarnation,
  ) {}

  /** A bound function, not a method: actors hand `ctx.supervise` around unbound. */
  get supervise(): ActorContext<P>['supervise'] {
    return this.inc.supervise;
  }

  get address(): Address {
    return this.cell.address;
  }

  get config(): unknown {
    return this.cell.config;
  }

  get log(): Logger {
    return this.cell.log;
  }

  get self(): ActorRef<P> {
    return this.cell.self;
  }

  get clock(): Clock {
    return this.cell.host.clock;
  }

  get random(): Random {
    return this.cell.host.random;
  }

  get network(): Network {
    return this.inc.network;
  }

  get links(): Links {
    return this.inc.links;
  }

  get timers(): Timers<P> {
    return this.inc.timers;
  }

  get envelope(): Envelope | undefined {
    return this.inc.handling;
  }

  get traceparent(): string | undefined {
    return traceparentOf(this.inc.handling?.headers);
  }

  get stopping(): AbortSignal {
    return this.inc.stopping;
  }

  ref<Q extends AnyProtocol>(address: Address, protocol: Q): ActorRef<Q> {
    return new ActorRef(this.cell.host, address, protocol, this.cell.address);
  }

  reply(value: unknown): void {
    const envelope = this.takeReply();
    if (envelope?.replyTo === undefined) return;
    this.cell.answered(envelope);
    this.cell.host.reply(envelope, value);
  }

  replyLater<R>(answer: PromiseLike<R>): LateReply<R> {
    const request = this.takeReply();
    if (request !== undefined) this.cell.answersLater(request);
    answerWhenSettled(this.cell.lateReplies, request, answer, () => this.cell.log);
    return LATE_REPLY;
  }

  spawn<Q extends AnyProtocol>(id: string, definition: ActorDefinition<Q>, options: SpawnOptions = {}): ActorRef<Q> {
    if (this.inc.ended) throw new ActorStoppedError(this.cell.address);
    const children = this.inc.children;
    const child = this.cell.host.createCell(definition, childAddress(this.cell.address, id), children);
    children.add(id, child, options);
    child.start();
    return child.self;
  }

  dynamicSupervisor<C = unknown>(address: Address): DynamicSupervisorHandle<C> {
    return dynamicChildrenOf(this.cell.host, address) as DynamicSupervisorHandle<C>;
  }

  stop(): void {
    this.cell.stopAfterMessage(this.inc);
  }

  onStop(cleanup: () => void | Promise<void>): void {
    this.inc.onStop(cleanup);
  }

  /** The message in its handler, if it is still unanswered: the caller answers it, once. */
  private takeReply(): Envelope | undefined {
    const envelope = this.inc.handling;
    if (envelope === undefined || this.inc.answered) return undefined;
    this.inc.answered = true;
    return envelope;
  }
}
