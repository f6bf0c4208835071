import type { Clock } from './clock.ts';
import type { HostPort } from './network.ts';

/**
 * Links between organisations, shaped like AMQP 1.0: one authenticated session per connection
 * carries several links; a receiver grants credit and settles each delivery; a sender learns the
 * far side's outcome. `transports/amqp10` implements it with rhea over mutual TLS, the simulation
 * virtually, so actors that use only this port run unchanged under a seed.
 */
export interface Links {
  listen(options: LinkListenOptions, onSession: (session: LinkSession) => void): Promise<LinkListener>;
  /** Rejects with `LinkConnectError` (unreachable, TLS refused), `LinkConnectTimeoutError` or `PeerIdentityError` (wrong name). */
  connect(options: LinkConnectOptions): Promise<LinkSession>;
}

/** PEM (or DER buffers) for mutual TLS: this side's key and certificate, and the CA(s) peers must chain to. */
export interface TlsMaterial {
  key: string | Uint8Array;
  cert: string | Uint8Array;
  ca: string | Uint8Array | (string | Uint8Array)[];
}

export interface LinkListenOptions extends HostPort {
  /** Real TLS: peers without a certificate chaining to `tls.ca` never get a session. */
  tls?: TlsMaterial;
  /** The simulation's stand-in for the certificate: the identity peers see. */
  name?: string;
  /** The largest AMQP frame accepted (default 256 KiB: a 64 KiB message goes in one frame); a larger one cuts the connection. */
  maxFrameBytes?: number;
  /** A connection that has not sent its AMQP open this long after it was accepted is closed (default 10 s). */
  openDeadlineMs?: number;
  /** Connections open at once from one source address; more are closed on arrival (default 32). */
  maxConnectionsPerSource?: number;
  /** Connections open at once for one verified certificate; more are closed after the handshake (default 8). */
  maxConnectionsPerPeer?: number;
  /** Links a peer may have attached on one session; more are refused `amqp:resource-limit-exceeded` (default 16). */
  maxLinksPerSession?: number;
  /** Where the deadlines run; an actor's `ctx.links` gives its incarnation's, the real clock otherwise. */
  clock?: Clock;
  /** Told of errors the AMQP library reports on a connection, each line bounded (silent when not given). */
  log?: LinkLog;
  /** A connection refused or cut outside any link (certificate, framing, deadline, limit): for the audit log. */
  onRefused?: (reason: string, remote: HostPort, refusal: LinkRefusal) => void;
}

/** Why `onRefused` was called, beyond its reason. */
export interface LinkRefusal {
  /**
   * `tls`: no or untrusted certificate, failed handshake; `framing`: a frame the protocol does not
   * allow there, or over `maxFrameBytes`, or a performative with a field out of bounds (a
   * disposition range wider than the session holds); `deadline`: no AMQP open in time; `limit`:
   * too many connections from the address or the peer.
   */
  condition: 'tls' | 'framing' | 'deadline' | 'limit';
  /** The verified peer's common name, once the handshake verified its certificate. */
  peer?: string;
}

/** A bounded line about a connection's errors (never a dump of its bytes). */
export type LinkLog = (message: string, remote: HostPort) => void;

export interface LinkConnectOptions extends HostPort {
  tls?: TlsMaterial;
  /** The simulation's stand-in for this side's certificate. */
  name?: string;
  /** The name the server's certificate must carry (SAN DNS/URI or CN); defaults to `host`. */
  expectedName?: string;
  /** Dial through a SOCKS5 proxy (CONNECT, no authentication). */
  socks?: HostPort;
  maxFrameBytes?: number;
  /** TCP, TLS and the server's AMQP open must all be done within this, else `LinkConnectTimeoutError` (default 10 s). */
  connectTimeoutMs?: number;
  /** Where the deadline runs; an actor's `ctx.links` gives its incarnation's, the real clock otherwise. */
  clock?: Clock;
  log?: LinkLog;
}

/** Who the peer is, from its verified certificate (or, simulated, its name). */
export interface PeerIdentity {
  commonName: string | undefined;
  /** SAN entries as `DNS:name` / `URI:uri` / `IP Address:ip`. */
  altNames: string[];
  /** SHA-256 of the certificate, `AA:BB:…` (the simulation hashes the name). */
  fingerprint256: string;
}

export interface LinkListener {
  readonly address: HostPort;
  /** Sessions accepted so far (one per authenticated connection). */
  readonly sessions: number;
  close(): Promise<void>;
}

/** An AMQP 1.0 error condition (`amqp:not-found`, `amqp:unauthorized-access`, …) and why. */
export interface LinkCondition {
  condition: string;
  description: string;
}

/** The AMQP conditions airlock uses itself. */
export const CONDITIONS = {
  notFound: 'amqp:not-found',
  unauthorized: 'amqp:unauthorized-access',
  messageSizeExceeded: 'amqp:link:message-size-exceeded',
  resourceLimitExceeded: 'amqp:resource-limit-exceeded',
  transferLimitExceeded: 'amqp:link:transfer-limit-exceeded',
  decodeError: 'amqp:decode-error',
  released: 'amqp:released',
  detachForced: 'amqp:link:detach-forced',
} as const;

/** What the peer asks for when it opens a link to `address`. */
export interface LinkRequest {
  readonly address: string;
}

/** The peer opened a sender to an address: this side accepts by granting credit, or refuses. */
export type ReceiverDecision = ReceiverOptions | { refuse: LinkCondition };
/** The peer opened a receiver on an address: this side accepts with a handler for the sender, or refuses. */
export type SenderDecision = (SenderOptions & { onOpen(sender: LinkSender): void }) | { refuse: LinkCondition };

export interface ReceiverOptions {
  /** Unsettled deliveries at most; one more is granted as each is settled. */
  credit: number;
  /**
   * Deliveries whose body is larger than this are refused `amqp:link:message-size-exceeded`;
   * advertised to the peer as the link's max-message-size, with room for the sections around the
   * body (4 KiB over AMQP 1.0). One whose transfers pass the advertised size while they still
   * arrive detaches the link with that condition, before the rest is buffered.
   */
  maxMessageBytes?: number;
  onDelivery(delivery: LinkDelivery): void;
  /** Told of each delivery refused before `onDelivery` (undecodable, too big) and of a link cut for one: for an audit log. */
  onRefused?(condition: string, description: string): void;
}

export interface SenderOptions {
  /** Sends larger than this (or than the receiver's advertised limit) reject at once. */
  maxMessageBytes?: number;
}

export interface LinkSession {
  readonly peer: PeerIdentity;
  readonly remote: HostPort;
  openSender(address: string, options?: SenderOptions): Promise<LinkSender>;
  openReceiver(address: string, options: ReceiverOptions): Promise<LinkReceiver>;
  /** Decides links the peer opens towards this side; without a handler they are refused `amqp:not-found`. */
  onReceiverOpened(decide: (request: LinkRequest) => ReceiverDecision): void;
  onSenderOpened(decide: (request: LinkRequest) => SenderDecision): void;
  close(error?: LinkCondition): Promise<void>;
  /** Resolves when the session ends, with why. */
  readonly closed: Promise<string>;
}

export interface LinkSendOptions {
  messageId?: string;
  properties?: Record<string, string | number | boolean>;
}

/** The far side took the delivery and settled it `accepted`. */
export interface LinkSettlement {
  readonly messageId: string | undefined;
  readonly outcome: 'accepted';
}

export interface LinkSender {
  readonly address: string;
  /** Resolves when the far side accepts; rejects with `LinkRefusedError` (rejected, released, too big) or `LinkLostError`. */
  send(bytes: Uint8Array, options?: LinkSendOptions): Promise<LinkSettlement>;
  close(): Promise<void>;
}

export interface LinkReceiver {
  readonly address: string;
  /** Deliveries handed over and not yet settled. */
  readonly unsettled: number;
  close(): Promise<void>;
}

/** One message on a receiver; exactly one of accept / reject / release settles it. */
export interface LinkDelivery {
  readonly bytes: Uint8Array;
  readonly messageId: string | undefined;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  accept(): void;
  reject(condition: string, description: string): void;
  release(): void;
}
