import { CONDITIONS, type LinkDelivery, type LinkSender, type LinkSession, type ReceiverDecision } from '../../../lib/index.ts';
import { LATENCY_SAMPLES } from '../limits.ts';
import { FORWARDED, type Activation } from '../tunnel/index.ts';
import { latencyFigures, type AuditLog } from './audit-log.ts';
import { isFinalRefusal } from '../links/link-errors.ts';
import { refuseTarget } from './inbox-target.ts';

export interface PeerGateOptions {
  readonly activation: Activation;
  readonly creditPerPeer: number;
  /** The tunnel link to the BridgeManager; it accepts a message once the local broker confirmed it. */
  readonly inbound: LinkSender;
  readonly audit: AuditLog;
  readonly now: () => number;
  /** Wraps link callbacks so a throw crashes the Float's incarnation, never the process. */
  readonly supervise: <A extends unknown[]>(callback: (...args: A) => unknown) => (...args: A) => void;
}

/**
 * One authenticated peer on the public listener: it may open senders to inboxes only, has at most
 * `creditPerPeer` deliveries unsettled over all its links, and each delivery is settled as the
 * BridgeManager settles its forwarded copy: accepted only once the local broker has it.
 */
export class PeerGate {
  private unsettled = 0;
  private forwarded = 0;
  private readonly latencies: number[] = [];
  private readonly connectedAt: number;
  private readonly remote: string;
  private readonly name: string;

  constructor(
    private readonly session: LinkSession,
    private readonly options: PeerGateOptions,
  ) {
    this.connectedAt = options.now();
    this.remote = `${session.remote.host}:${session.remote.port}`;
    this.name = session.peer.commonName ?? '';
    options.audit.write({ event: 'connect', remote: this.remote });
    options.audit.write({ event: 'authenticated', remote: this.remote, peer: this.name, fingerprint: session.peer.fingerprint256 });
    session.onReceiverOpened(({ address }) => this.decide(address));
    void session.closed.then(options.supervise((reason: string) => this.disconnected(reason)));
  }

  private decide(target: string): ReceiverDecision {
    const refused = refuseTarget(target, this.options.activation.inboxPrefix);
    if (refused) {
      this.refuse(refused.condition, refused.description);
      return { refuse: refused };
    }
    // The limit goes on the link: advertised to the peer on attach, and a delivery passing it is cut while it still arrives.
    return {
      credit: this.options.creditPerPeer,
      maxMessageBytes: this.options.activation.maxMessageBytes,
      onDelivery: this.options.supervise((delivery: LinkDelivery) => this.forward(target, delivery)),
      onRefused: (condition: string, reason: string) => this.refuse(condition, reason),
    };
  }

  private forward(target: string, delivery: LinkDelivery): void {
    const { maxMessageBytes } = this.options.activation;
    if (delivery.bytes.byteLength > maxMessageBytes) {
      return this.rejectDelivery(delivery, CONDITIONS.messageSizeExceeded, `message of ${delivery.bytes.byteLength} bytes exceeds the limit of ${maxMessageBytes} bytes`);
    }
    if (this.unsettled >= this.options.creditPerPeer) {
      return this.rejectDelivery(delivery, CONDITIONS.transferLimitExceeded, `more than ${this.options.creditPerPeer} unsettled deliveries from this peer`);
    }
    this.unsettled++;
    const started = this.options.now();
    const properties = { [FORWARDED.target]: target, [FORWARDED.peer]: this.name, [FORWARDED.peerFingerprint]: this.session.peer.fingerprint256 };
    this.options.inbound.send(delivery.bytes, { messageId: delivery.messageId, properties }).then(
      () => {
        this.unsettled--;
        // A window, not a log: a peer connected for days must not grow the Float's memory.
        this.latencies[this.forwarded % LATENCY_SAMPLES] = this.options.now() - started;
        this.forwarded++;
        delivery.accept();
      },
      (error: unknown) => {
        this.unsettled--;
        // A refusal by the BridgeManager (unknown inbox, bad message) is final; anything else (the
        // tunnel dropped, the broker said no for now) is released, so the peer sends it again.
        if (isFinalRefusal(error)) {
          return this.rejectDelivery(delivery, error.condition, error.description);
        }
        delivery.release();
      },
    );
  }

  private rejectDelivery(delivery: LinkDelivery, condition: string, reason: string): void {
    this.refuse(condition, reason);
    delivery.reject(condition, reason);
  }

  private refuse(condition: string, reason: string): void {
    this.options.audit.write({ event: 'refused', remote: this.remote, peer: this.name, condition, reason });
  }

  private disconnected(reason: string): void {
    const connectedMs = this.options.now() - this.connectedAt;
    this.options.audit.write({ event: 'disconnect', remote: this.remote, peer: this.name, reason, connectedMs, forwarded: this.forwarded, latencyMs: latencyFigures(this.latencies) });
  }
}
