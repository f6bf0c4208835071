import { DEFAULT_MAX_ATTEMPTS, DedupeWindow, realClock, realRandom, type Address, type Clock, type DedupeStore, type Random } from '../../lib/index.ts';
import type { BackoffOptions } from '../../lib/backoff.ts';
import { InvalidBrokerUrlsError } from './errors.ts';

/** What remembers the ids already handled at one address: lib/dedupe-store.ts. */
export type { DedupeStore };

export interface RabbitOptions {
  /** amqp://user:pass@host:port/vhost (heartbeat etc. as URL parameters): one broker. Give this or `urls`. */
  url?: string;
  /**
   * The nodes of a RabbitMQ cluster, in the order they are tried: the connection goes to the first
   * that answers and, when it is lost, to the next one (round-robin, with `reconnect`'s backoff
   * growing per round of the list); topology is declared again, consumers resume and unconfirmed
   * publishes are sent again there. Order the list per process to spread processes over the nodes.
   */
  urls?: readonly string[];
  /**
   * Durable mailboxes (and the dead-letter queue) as quorum queues, replicated over the cluster
   * so they outlive a node; true when `urls` lists more than one node. Control, transient and reply
   * queues stay classic. Every node of a namespace must agree (a queue's type is fixed at creation).
   */
  quorum?: boolean;
  /** Replicas of each quorum queue (`x-quorum-initial-group-size`); 3, RabbitMQ's advice (one node may go). */
  quorumGroupSize?: number;
  /** Name of the direct exchange and prefix of every queue (`<namespace>:<address>`); 'airlock'. */
  namespace?: string;
  /** Unacknowledged messages a mailbox may hold at once (the consumer's prefetch); 64. */
  prefetch?: number;
  /** Persistent (delivery mode 2) messages to actors; true. Replies are always transient. */
  persistent?: boolean;
  /**
   * Deliveries of one message whose handling never finished (its process or connection died
   * first) before it is dead-lettered unhandled; `DEFAULT_MAX_ATTEMPTS` (3), as in the simulation.
   * A message whose handler crashed is dead-lettered at once, whatever this says.
   */
  maxAttempts?: number;
  /** Ids remembered per mailbox to drop redeliveries of handled messages; 100,000. */
  dedupeWindow?: number;
  /**
   * The dedupe memory of one address. The default is an in-memory `DedupeWindow`, which drops
   * redeliveries within this process's life; to keep "handled once" across a crash of the
   * process, give a durable store (`PgDedupeStore` from airlock/postgres), or seed a memory from
   * the handler's own durable state (the inbox pattern).
   */
  dedupe?: (address: Address) => DedupeStore;
  /**
   * Time to live of a message to a system address (`<node>/$control`): a restart asked of a
   * node that is down expires instead of running when the node comes back; 30 s, as long as the
   * CLI waits for an answer.
   */
  systemMessageTtlMs?: number;
  /**
   * Addresses whose messages are transient, as a control protocol's should be (the bridge control
   * protocol's): published non-persistent with `transientTtlMs`, to a non-durable queue deleted with
   * its last consumer, so nothing of them outlives a restart and its parties re-sync instead. Every
   * node of a namespace must give the same answer for an address (the queue is declared by both ends).
   */
  transient?: (address: Address) => boolean;
  /** Time to live of a transient message (30 s). */
  transientTtlMs?: number;
  /** Largest message accepted from the broker (1 MiB); bigger ones are dead-lettered. */
  maxFrameBytes?: number;
  /**
   * Largest AMQP header table accepted from the broker (16 KiB); a message with more is
   * dead-lettered without its headers, so the copy always fits amqplib's 64 KiB table.
   */
  maxHeaderBytes?: number;
  /** Reconnect (and channel re-open) backoff. */
  reconnect?: Partial<BackoffOptions>;
  /**
   * Disable Nagle's algorithm (true): a turn's frames already leave in one write
   * (`coalesceWrites`), so Nagle batches nothing more and only holds the last small segment (an
   * ack, a reply, a confirm's trigger) for the peer's delayed ACK, tens of milliseconds. False
   * brings it back.
   */
  noDelay?: boolean;
  /** How long `ready()` waits for the first connection before failing (10 s). */
  connectTimeoutMs?: number;
  /** The system's ports, so backoff timers and jitter are virtual under simulation. */
  clock?: Clock;
  random?: Random;
}

export type ResolvedRabbitOptions = Required<Omit<RabbitOptions, 'reconnect' | 'url' | 'urls'>> & {
  /** Never empty: `urls`, or `[url]`. */
  urls: readonly string[];
  reconnect: BackoffOptions;
};

export function resolveOptions(options: RabbitOptions): ResolvedRabbitOptions {
  const dedupeWindow = options.dedupeWindow ?? 100_000;
  const urls = brokerUrls(options);
  return {
    urls,
    quorum: options.quorum ?? urls.length > 1,
    quorumGroupSize: options.quorumGroupSize ?? 3,
    namespace: options.namespace ?? 'airlock',
    prefetch: options.prefetch ?? 64,
    persistent: options.persistent ?? true,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    dedupeWindow,
    dedupe: options.dedupe ?? (() => new DedupeWindow(dedupeWindow)),
    maxFrameBytes: options.maxFrameBytes ?? 1 << 20,
    maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024,
    systemMessageTtlMs: options.systemMessageTtlMs ?? 30_000,
    transient: options.transient ?? (() => false),
    transientTtlMs: options.transientTtlMs ?? 30_000,
    reconnect: { minMs: 100, maxMs: 5_000, factor: 2, jitter: 0.2, ...options.reconnect },
    noDelay: options.noDelay ?? true,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    clock: options.clock ?? realClock,
    random: options.random ?? realRandom(),
  };
}

/** The broker URLs of `options`: `urls`, or `url` alone; neither (or an empty list) is a usage error. */
function brokerUrls(options: RabbitOptions): readonly string[] {
  const urls = options.urls ?? (options.url === undefined ? [] : [options.url]);
  if (urls.length === 0 || urls.some((url) => typeof url !== 'string' || url.length === 0)) {
    throw new InvalidBrokerUrlsError('give `url` or a non-empty `urls` list of amqp:// URLs');
  }
  if (options.url !== undefined && options.urls !== undefined) throw new InvalidBrokerUrlsError('give `url` or `urls`, not both');
  return [...urls];
}
