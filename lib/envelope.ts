import type { Address } from './address.ts';
import type { Random } from './ports/random.ts';

export type HeaderValue = string | number | boolean;
export type Headers = Record<string, HeaderValue>;

/**
 * How a transport that keeps messages durably carries one: `'durable'` (every tell and, by
 * default, every ask: over RabbitMQ persistent, confirmed, published again after a reconnect,
 * duplicates dropped) or `'transient'` (an ask whose asker retries on its timeout anyway: over
 * RabbitMQ non-persistent and never published twice, so it is handled at most once and lost if
 * the broker restarts or the connection drops before the broker took it). A transport with no
 * cheaper mode (in-process, the simulated one) carries both alike.
 */
export type Delivery = 'durable' | 'transient';

/** Message kinds beyond the receiver's protocol: replies to asks travel as these. */
export const REPLY_TYPE = '$reply';
export const ERROR_REPLY_TYPE = '$error';

/**
 * One message on its way. In-process it is handed over as this object; whenever it leaves the
 * process it is encoded by the codec, and decoded envelopes are validated before delivery.
 */
export interface Envelope {
  /** Unique per message; the dedupe key on at-least-once transports. */
  readonly id: string;
  readonly to: Address;
  readonly from?: Address;
  /** A message type of the receiver's protocol, or `$reply` / `$error` for answers to asks. */
  readonly type: string;
  readonly body: unknown;
  /** For an ask: the id replies refer to; for a reply: the id of the ask it answers. */
  readonly correlationId?: string;
  /** For an ask: where the reply goes. */
  readonly replyTo?: Address;
  readonly headers?: Headers;
  /**
   * For an ask: how long its asker waits for the answer. Never encoded; a durable transport lets
   * the queued message expire after it, so nothing is left to be handled after its sender was
   * told it failed.
   */
  readonly expiresInMs?: number;
  /** For an ask: how a durable transport carries it (`'durable'` when absent). Never encoded. */
  readonly delivery?: Delivery;
  /** How many times delivery was attempted before (0 on the first). */
  attempt: number;
}

/**
 * An envelope made in this process whose id is drawn only when something reads it: the codec as
 * it leaves the process (or crosses a trust boundary), a durable transport's dedupe, a trace, a
 * dead-letter event. A tell handed from one actor to another in the same process never needs it,
 * and the draw (96 bits from the CSPRNG on the real port) was a third of the in-process hot path.
 * The id, once drawn, is the same on every read and as unpredictable as an eager one. An ask
 * draws its id at once (its correlation id is the key its reply must present), so asks and
 * replies to them are untouched by this; the reply envelope itself is made lazily too.
 */
export class LocalEnvelope implements Envelope {
  private drawn: string | undefined = undefined;
  // Declared optional as in `Envelope` (they may hold undefined), so the class implements it under
  // `exactOptionalPropertyTypes` too.
  readonly from?: Address;
  readonly headers?: Headers;
  readonly correlationId?: string;

  constructor(
    private readonly random: Random,
    readonly to: Address,
    from: Address | undefined,
    readonly type: string,
    readonly body: unknown,
    headers: Headers | undefined,
    correlationId: string | undefined,
    public attempt: number,
  ) {
    this.from = from;
    this.headers = headers;
    this.correlationId = correlationId;
  }

  get id(): string {
    return (this.drawn ??= this.random.id());
  }

  /** As an envelope literal serializes (a logger, an event written out): the id drawn, the port left out. */
  toJSON(): Omit<Envelope, 'expiresInMs' | 'delivery'> {
    const { id, to, from, type, body, correlationId, headers, attempt } = this;
    return { id, to, from, type, body, correlationId, headers, attempt };
  }
}
