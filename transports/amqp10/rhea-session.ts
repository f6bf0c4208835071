import type { TLSSocket } from 'node:tls';
import {
  CONDITIONS,
  LinkLostError,
  LinkRefusedError,
  type HostPort,
  type LinkCondition,
  type LinkReceiver,
  type LinkRequest,
  type LinkSender,
  type LinkSession,
  type PeerIdentity,
  type ReceiverDecision,
  type ReceiverOptions,
  type SenderDecision,
  type SenderOptions,
} from '../../lib/index.ts';
import { RheaLinkReceiver } from './rhea-receiver.ts';
import { RheaLinkSender } from './rhea-sender.ts';
import type { AttachFrames, Connection, RheaReceiver, RheaSender } from './rhea-types.ts';

const CLOSE_GRACE_MS = 1_000;

export interface SessionLimits {
  /** Links the peer may have attached at once; more are refused `amqp:resource-limit-exceeded`. */
  maxLinks?: number;
}

const notFound = (kind: string) => (request: LinkRequest) => ({
  refuse: { condition: CONDITIONS.notFound, description: `no ${kind} at '${request.address.slice(0, 200)}'` },
});

/** One authenticated TLS connection and the AMQP links it carries, on either side. */
export class RheaLinkSession implements LinkSession {
  readonly closed: Promise<string>;
  private readonly senders = new Set<RheaLinkSender>();
  private decideReceiver: (request: LinkRequest) => ReceiverDecision = notFound('receiver');
  private decideSender: (request: LinkRequest) => SenderDecision = notFound('sender');
  private reason = 'the connection closed';
  private ended = false;
  /** Links the peer attached that this side took and that are not detached yet. */
  private peerLinks = 0;

  constructor(
    readonly peer: PeerIdentity,
    readonly remote: HostPort,
    private readonly connection: Connection,
    private readonly socket: TLSSocket,
    private readonly limits: SessionLimits = {},
  ) {
    this.closed = new Promise<string>((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        for (const sender of this.senders) sender.fail(this.reason);
        resolve(this.reason);
      }),
    );
    connection.on('receiver_open', (context) => this.peerOpenedSender(context.receiver as RheaReceiver));
    connection.on('sender_open', (context) => this.peerOpenedReceiver(context.sender as RheaSender));
    connection.on('connection_close', () => this.noteReason(`the peer closed the connection${describeError(connection.error)}`));
    connection.on('disconnected', (context) => this.noteReason(`disconnected${context.error ? `: ${String((context.error as Error).message ?? context.error)}` : ''}`));
    // Errors on links refused here, or on the session, are expected: handled, never thrown at the container.
    for (const event of ['connection_error', 'session_error', 'session_close', 'sender_error', 'receiver_error', 'sender_close', 'receiver_close']) {
      connection.on(event, () => undefined);
    }
  }

  onReceiverOpened(decide: (request: LinkRequest) => ReceiverDecision): void {
    this.decideReceiver = decide;
  }

  onSenderOpened(decide: (request: LinkRequest) => SenderDecision): void {
    this.decideSender = decide;
  }

  openSender(address: string, options: SenderOptions = {}): Promise<LinkSender> {
    const link = this.connection.open_sender({ target: { address } }) as RheaSender;
    const sender = this.track(new RheaLinkSender(address, link, options), link);
    return this.opened(address, link, 'sender_open', () => link.remote.attach?.target, sender);
  }

  openReceiver(address: string, options: ReceiverOptions): Promise<LinkReceiver> {
    const link = this.connection.open_receiver({ source: { address }, credit_window: 0, autoaccept: false }) as RheaReceiver;
    const receiver = new RheaLinkReceiver(address, link, options);
    link.on('receiver_close', () => undefined);
    receiver.start();
    return this.opened(address, link, 'receiver_open', () => link.remote.attach?.source, receiver);
  }

  async close(error?: LinkCondition): Promise<void> {
    if (this.ended) return;
    this.noteReason(`closed by this side${describeError(error)}`);
    this.connection.close(error);
    const grace = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    this.connection.once('connection_close', () => this.socket.end());
    await this.closed;
    clearTimeout(grace);
  }

  /**
   * Resolves once the peer attached its end with a terminus; a peer that refuses answers with a
   * null terminus and detaches with a condition (AMQP 1.0, 2.6.3), which rejects.
   */
  private opened<T>(address: string, link: (RheaSender | RheaReceiver) & AttachFrames, event: string, terminus: () => unknown, value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      link.once(event, () => (isTerminus(terminus()) ? resolve(value) : undefined));
      link.once(event.replace('_open', '_close'), () => {
        const error = link.remote.detach?.error;
        reject(new LinkRefusedError(error?.condition ?? CONDITIONS.detachForced, error?.description ?? 'the peer detached the link', address));
      });
      void this.closed.then((reason) => reject(new LinkLostError(address, reason)));
    });
  }

  /** The reason this side cut the connection (a framing violation): what `closed` resolves with. */
  noteCut(reason: string): void {
    this.noteReason(`cut by this side: ${reason}`);
  }

  private peerOpenedSender(link: RheaReceiver): void {
    const address = link.remote.attach?.target?.address ?? '';
    const decision = this.overLinkLimit() ?? this.decideReceiver({ address });
    if ('refuse' in decision) return link.close(decision.refuse);
    this.countPeerLink(link, 'receiver_close');
    link.set_target({ address });
    new RheaLinkReceiver(address, link, decision).start();
  }

  private peerOpenedReceiver(link: RheaSender): void {
    const address = link.remote.attach?.source?.address ?? '';
    const decision = this.overLinkLimit() ?? this.decideSender({ address });
    if ('refuse' in decision) return link.close(decision.refuse);
    this.countPeerLink(link, 'sender_close');
    link.set_source({ address });
    decision.onOpen(this.track(new RheaLinkSender(address, link, decision), link));
  }

  /**
   * Holds a sender while its link lives, so the connection's end fails its unsettled sends; a
   * detached link is forgotten at once (a peer may open and detach links for as long as it stays).
   */
  private track(sender: RheaLinkSender, link: RheaSender): RheaLinkSender {
    this.senders.add(sender);
    link.on('sender_close', () => {
      this.senders.delete(sender);
      const reason = `the peer detached the link${describeError(link.remote.detach?.error)}`;
      // rhea reports the outcomes read before the detach (a peer that accepts its last delivery and
      // detaches, in one read) on its next tick, after this event: those settle first, as the peer sent them.
      process.nextTick(() => sender.fail(reason));
    });
    return sender;
  }

  /** A refusal when the peer has `maxLinks` attached already: each link costs state, and may hold a partial delivery. */
  private overLinkLimit(): { refuse: LinkCondition } | undefined {
    const { maxLinks } = this.limits;
    if (maxLinks === undefined || this.peerLinks < maxLinks) return undefined;
    return { refuse: { condition: CONDITIONS.resourceLimitExceeded, description: `at most ${maxLinks} links per session` } };
  }

  private countPeerLink(link: RheaSender | RheaReceiver, closeEvent: string): void {
    this.peerLinks++;
    link.once(closeEvent, () => this.peerLinks--);
  }

  private noteReason(reason: string): void {
    if (this.reason === 'the connection closed') this.reason = reason;
  }
}

function describeError(error: unknown): string {
  const { condition, description } = (error ?? {}) as { condition?: string; description?: string };
  return condition ? `: ${condition}${description ? ` (${description})` : ''}` : '';
}

/** A terminus the peer attached, not the null (rhea hands it over as a described `Null`) of a refusal. */
function isTerminus(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const typed = value as { type?: { name?: string } };
  return typed.type?.name !== 'Null';
}
