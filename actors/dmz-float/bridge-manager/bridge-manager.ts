import {
  CONDITIONS,
  defineActor,
  errorMessage,
  withConfig,
  type ActorContext,
  type LinkDelivery,
  type LinkSession,
  type Timer,
} from '../../../lib/index.ts';
import { backoffDelay } from '../../../lib/backoff.ts';
import { hasCode } from '../links/link-errors.ts';
import { MAX_QUOTED_CHARS, MAX_REJECTION_CHARS, RECENT_QUERIES } from '../limits.ts';
import { BridgeControlProtocol, outboundChildOf, outboundQueueOf, type OutboundQueue } from '../bridge-control/protocol.ts';
import { FORWARDED, TUNNEL, encodeActivation } from '../tunnel/index.ts';
import { queueConsumerActor } from '../queue-consumer/queue-consumer.ts';
import { BridgeManagerConfig } from './config.ts';
import { largestBodyThrough } from './path-limit.ts';
import { PeerInboxProtocol } from './protocol.ts';

type Context = ActorContext<BridgeControlProtocol, BridgeManagerConfig>;

/**
 * Corda's BridgeManager, in the internal zone. It learns the node's inboxes and outbound queues
 * through the bridge control protocol (querying until answered), then dials the Float's tunnel and
 * activates it. Each message the Float forwards must target a known inbox; it is published to the
 * local broker and accepted on the tunnel only once the broker confirmed it, so the Float settles
 * the peer only then. Each outbound queue gets a QueueConsumer, spawned and restarted one_for_one.
 */
export const bridgeManagerActor = defineActor({
  protocol: BridgeControlProtocol,
  config: BridgeManagerConfig,
  setup(ctx) {
    const inboxes = new Set<string>();
    const bridges = new Set<string>();
    const queries = new Set<string>();
    let synced = false;
    const tunnel = new Tunnel(ctx, (delivery) => publish(delivery));
    ctx.onStop(() => tunnel.stop());

    const registry = ctx.ref(ctx.config.registry, BridgeControlProtocol);
    let queryTimer: Timer | undefined;
    ctx.onStop(() => queryTimer?.cancel());
    const query = (): void => {
      if (synced) return;
      const messageId = ctx.random.id();
      queries.add(messageId);
      // While no node answers, a query goes out every interval: remember only the latest ones.
      if (queries.size > RECENT_QUERIES) queries.delete(queries.values().next().value!);
      registry.tell('QueueQuery', { messageId, replyTo: ctx.address }).catch((error: unknown) => ctx.log.info({ reason: errorMessage(error) }, 'queue query not delivered'));
      queryTimer = ctx.clock.setTimer(ctx.config.queryIntervalMs, ctx.supervise(query));
    };
    query();

    const bridge = ({ queue, peer }: OutboundQueue): void => {
      if (queue !== outboundQueueOf(ctx.address, peer.name)) return void ctx.log.warn({ queue, peer: peer.name }, `outbound queues of this bridge are ${outboundQueueOf(ctx.address, '<peer>')}`);
      if (bridges.has(peer.name)) return;
      bridges.add(peer.name);
      const consumer = withConfig(queueConsumerActor, { peer, tls: ctx.config.outbound.tls, name: ctx.config.outbound.name, reconnect: ctx.config.reconnect });
      ctx.spawn(outboundChildOf(peer.name), consumer, { restart: 'permanent' });
    };

    const publish = (delivery: LinkDelivery): void => {
      const target = String(delivery.properties[FORWARDED.target] ?? '');
      if (!inboxes.has(target)) return delivery.reject(CONDITIONS.notFound, `'${target.slice(0, MAX_QUOTED_CHARS)}' is not an inbox of this node`);
      const peer = String(delivery.properties[FORWARDED.peer] ?? '');
      const peerFingerprint = String(delivery.properties[FORWARDED.peerFingerprint] ?? '');
      const message = { messageId: delivery.messageId, peer, peerFingerprint, bytes: delivery.bytes };
      // `tell` resolves on the broker's publisher confirm: only then may the peer's delivery settle.
      ctx
        .ref(target, PeerInboxProtocol)
        .tell('PeerMessage', message, { headers: { [FORWARDED.peer]: peer } })
        .then(
          () => delivery.accept(),
          (error: unknown) => {
            // A message the inbox's protocol refuses would be refused again: released, the peer would resend it forever.
            if (hasCode(error, 'INVALID_MESSAGE')) return delivery.reject(CONDITIONS.decodeError, errorMessage(error).slice(0, MAX_REJECTION_CHARS));
            ctx.log.warn({ target, reason: errorMessage(error) }, 'an inbound message was not published: released');
            delivery.release();
          },
        );
    };

    return {
      // Only nodes answer queries; a bridge ignores one sent to it.
      QueueQuery: () => {},
      QueueSnapshot({ correlationId, inboxes: known, outbound }) {
        if (correlationId !== undefined && !queries.has(correlationId)) return;
        // A snapshot is the node's whole state: it replaces what was known.
        inboxes.clear();
        for (const inbox of known) inboxes.add(inbox);
        for (const queue of outbound) bridge(queue);
        if (!synced) {
          synced = true;
          queryTimer?.cancel();
          tunnel.start();
        }
      },
      BridgeRequest: ({ outbound }) => bridge(outbound),
    };
  },
});

/** The one tunnel connection to the Float: dialled outward, activated, redialled with backoff when it drops. */
class Tunnel {
  private attempt = 0;
  private timer: Timer | undefined;
  private started = false;
  private stopped = false;

  /** The largest body the path from the tunnel to an inbox carries: the Float admits no more, and this side's receiver neither. */
  private readonly pathMaxBodyBytes: number;

  constructor(
    private readonly ctx: Context,
    private readonly onInbound: (delivery: LinkDelivery) => void,
  ) {
    this.pathMaxBodyBytes = largestBodyThrough(ctx.config.inboxMaxFrameBytes, ctx.address);
    if (this.pathMaxBodyBytes < ctx.config.maxMessageBytes) {
      ctx.log.info({ maxMessageBytes: ctx.config.maxMessageBytes, pathMaxBodyBytes: this.pathMaxBodyBytes }, 'the inboxes take smaller frames than maxMessageBytes: the float admits the smaller');
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.dial();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** The pool's member dialled next: the same one while it holds, the next one once it failed or closed. */
  private member = 0;

  private async dial(): Promise<void> {
    const { ctx } = this;
    const { publicTls } = ctx.config;
    const pool = Array.isArray(ctx.config.float) ? ctx.config.float : [ctx.config.float];
    const float = pool[this.member % pool.length];
    let session: LinkSession | undefined;
    try {
      session = await ctx.links.connect({ host: float.host, port: float.port, expectedName: float.expectedName, tls: float.tls, name: float.name });
      // The receiver's limit too (advertised on attach, refused before delivery): a Float that ignored the activation's still cannot pass on more.
      const { pathMaxBodyBytes } = this;
      await session.openReceiver(TUNNEL.inbound, { credit: ctx.config.inboundCredit, maxMessageBytes: pathMaxBodyBytes, onDelivery: ctx.supervise(this.onInbound) });
      const control = await session.openSender(TUNNEL.control);
      await control.send(encodeActivation({ ...publicTls, maxMessageBytes: ctx.config.maxMessageBytes, pathMaxBodyBytes, inboxPrefix: ctx.config.inboxPrefix }));
      this.attempt = 0;
      ctx.log.info({ float: `${float.host}:${float.port}` }, 'the float is active');
      const reason = await session.closed;
      ctx.log.warn({ reason }, 'the tunnel to the float closed');
    } catch (error) {
      ctx.log.warn({ float: `${float.host}:${float.port}`, reason: errorMessage(error) }, 'the float could not be activated');
      void session?.close().catch(() => {});
    }
    this.member++;
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.attempt++;
    const delay = backoffDelay(this.ctx.config.reconnect, this.attempt, this.ctx.random);
    this.timer = this.ctx.clock.setTimer(delay, this.ctx.supervise(() => this.dial()));
  }
}
