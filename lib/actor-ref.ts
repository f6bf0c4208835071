import type { Address } from './address.ts';
import type { Headers } from './envelope.ts';
import type { AnyProtocol, AskableType, Body, MessageType, Reply } from './protocol.ts';
import type { Route } from './ports/transport.ts';

export interface SendOptions {
  headers?: Headers;
  /**
   * W3C trace context for this message (`headers.traceparent`), checked: a bad one is refused
   * with `InvalidTraceparentError`. An ask from an actor's ref without one carries the trace of
   * the message that actor is handling (see `ActorContext.traceparent`).
   */
  traceparent?: string;
}

export interface AskOptions extends SendOptions {
  /** How long to wait for the reply (default: the system's `askTimeoutMs`). */
  timeoutMs?: number;
}

/** What a ref needs from the system; keeps refs free of the system's other concerns. */
export interface RefHost {
  tell(ref: ActorRef<AnyProtocol>, type: string, body: unknown, options: SendOptions | undefined): Promise<void>;
  ask(ref: ActorRef<AnyProtocol>, type: string, body: unknown, options: AskOptions | undefined): Promise<unknown>;
}

/**
 * A location-transparent handle on the actor at `address`, typed by its protocol: `tell` and
 * `ask` accept only messages of `P`, and an ask's promise resolves to that message's reply.
 */
export class ActorRef<P extends AnyProtocol> {
  /** The route the ref last used; the system refreshes it when it closes. */
  route: Route | undefined;

  constructor(
    private readonly host: RefHost,
    readonly address: Address,
    readonly protocol: P | undefined,
    /** The sender, when the ref belongs to an actor. */
    readonly from?: Address,
  ) {}

  /** Resolves once the message is accepted (queued, or confirmed by a durable transport). */
  tell<T extends MessageType<P>>(type: T, body: Body<P, T>, options?: SendOptions): Promise<void> {
    return this.host.tell(this, type, body, options);
  }

  /** Resolves to the reply, or rejects with a typed error (timeout, unknown address, crash). */
  ask<T extends AskableType<P>>(type: T, body: Body<P, T>, options?: AskOptions): Promise<Reply<P, T>> {
    return this.host.ask(this, type, body, options) as Promise<Reply<P, T>>;
  }

  toString(): string {
    return `ActorRef(${this.address})`;
  }
}
