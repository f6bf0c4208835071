import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { backoffDelay } from '../../../lib/backoff.ts';
import { realClock, type Clock, type Timer } from '../../../lib/ports/clock.ts';
import { realRandom, type Random } from '../../../lib/ports/random.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
import type { Network } from '../../../lib/ports/network.ts';
import { RECONNECT_FACTOR, RECONNECT_INITIAL_MS, RECONNECT_JITTER, RECONNECT_MAX_MS, RENEW_AT_FRACTION } from '../limits.ts';
import { encodeFrame, FrameReader, type Grant } from '../wire/frames.ts';
import { identityOf, type Identity } from '../wire/identity.ts';
import type { RefusalCode } from '../wire/status.ts';
import { tlsFromParty, type RelayedStream } from './end-to-end.ts';
import { RelayRefusedError } from './errors.ts';
import { dialRelay, request } from './handshake.ts';
import type { ClientPorts, PartyTls, RelayHint } from './relay-hint.ts';

export interface AttachOptions extends ClientPorts {
  /** Dial back for circuits over the relay's TLS port too (hides the token from a passive observer; costs a second TLS layer). */
  acceptViaTls?: boolean;
  /** Which connecting parties to take, by the identity of the certificate they present (undefined: none presented). All, unless given. */
  allow?: (peer: Identity | undefined) => boolean;
  /** Reconnect backoff: first delay and ceiling, ms. */
  reconnect?: { minMs?: number; maxMs?: number };
}

export interface AttachmentEvents {
  /** The relay holds a reservation for this party (again, after a reconnect), until `grant.ttlMs` from now unless renewed. */
  attached: [grant: Grant];
  /** The registration link closed or the relay refused; a reconnect follows after `retryInMs`. */
  detached: [reason: Error, retryInMs: number];
  /** A party connected through the relay: TLS done, its identity on `stream.peerIdentity`. */
  stream: [stream: RelayedStream];
  /** An incoming circuit failed before it was a stream (dial-back, TLS, an identity not allowed). */
  refusedStream: [reason: Error];
}

/**
 * C's side: keeps a reservation on `relay` under this party's identity (the hash of its
 * certificate's key; the reserve runs over TLS to the relay with that certificate, so the relay
 * checks the key and never holds it). Renews at half the granted time, reconnects with backoff on
 * the Clock port when the link or the relay goes, and for each circuit the relay announces dials
 * back, accepts, and runs TLS 1.3 as the server: every 'stream' is end-to-end authenticated.
 */
export class Attachment extends EventEmitter<AttachmentEvents> {
  readonly identity: Identity;
  private readonly network: Network;
  private readonly clock: Clock;
  private readonly random: Random;
  private link: Duplex | undefined;
  private timer: Timer | undefined;
  private attempts = 0;
  private closed = false;
  private grantNow: Grant | undefined;

  constructor(
    private readonly relay: RelayHint,
    private readonly own: PartyTls,
    private readonly options: AttachOptions = {},
  ) {
    super();
    this.identity = identityOf(own.cert);
    this.network = options.network ?? realNetwork;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? realRandom();
    void this.run();
  }

  /** The current reservation's grant, while attached. */
  get grant(): Grant | undefined {
    return this.grantNow;
  }

  get attached(): boolean {
    return this.grantNow !== undefined;
  }

  /** Resolves at the next 'attached' (at once when attached). */
  whenAttached(): Promise<Grant> {
    if (this.grantNow) return Promise.resolve(this.grantNow);
    return new Promise((resolve) => this.once('attached', resolve));
  }

  /** Gives up the reservation: the link closes, no reconnect. Streams already handed out stay. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.link?.destroy();
  }

  private async run(): Promise<void> {
    if (this.closed) return;
    let link: Duplex | undefined;
    try {
      link = await dialRelay(this.network, this.relay, true, this.own, this.clock);
      if (this.closed) return void link.destroy();
      this.link = link;
      link.on('error', () => {});
      const grant = await request(link, { type: 'RESERVE' }, 'reserve', this.clock);
      this.attempts = 0;
      this.onGrant(grant);
      this.listen(link);
    } catch (error) {
      link?.destroy();
      this.retry(error as Error);
    }
  }

  private onGrant(grant: Grant): void {
    this.grantNow = grant;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(Math.max(1, Math.floor(grant.ttlMs * RENEW_AT_FRACTION)), () => {
      if (this.link && !this.link.destroyed) this.link.write(encodeFrame({ type: 'RESERVE' }));
    });
    this.emit('attached', grant);
  }

  private listen(link: Duplex): void {
    const reader = new FrameReader();
    link.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (error) {
        return void link.destroy(error as Error);
      }
      for (const frame of frames) {
        if (frame.type === 'INCOMING') void this.dialBack(frame.token);
        else if (frame.type === 'STATUS' && frame.status === 'OK') this.onGrant(frame.grant!);
        else if (frame.type === 'STATUS') return void link.destroy(new RelayRefusedError(frame.status as RefusalCode, 'reserve'));
      }
    });
    // The relay ending the link ends the registration: no half-open link (a TLS socket over a stream that is not a socket may never close on its own).
    link.once('end', () => link.destroy());
    link.once('close', () => this.retry(new Error('the registration link closed')));
    link.resume();
  }

  private retry(reason: Error): void {
    this.grantNow = undefined;
    this.link = undefined;
    this.timer?.cancel();
    if (this.closed) return;
    this.attempts += 1;
    const delay = backoffDelay(
      { minMs: this.options.reconnect?.minMs ?? RECONNECT_INITIAL_MS, maxMs: this.options.reconnect?.maxMs ?? RECONNECT_MAX_MS, factor: RECONNECT_FACTOR, jitter: RECONNECT_JITTER },
      this.attempts,
      this.random,
    );
    this.timer = this.clock.setTimer(delay, () => void this.run());
    this.emit('detached', reason, delay);
  }

  private async dialBack(token: string): Promise<void> {
    try {
      const base = await dialRelay(this.network, this.relay, this.options.acceptViaTls ?? false, undefined, this.clock);
      const grant = await request(base, { type: 'ACCEPT', token }, 'accept', this.clock);
      const stream = await tlsFromParty(base, this.own, grant, this.options.allow);
      this.emit('stream', stream);
    } catch (error) {
      this.emit('refusedStream', error as Error);
    }
  }
}

/** C attaches to `relay` under the identity of `own.cert`; see `Attachment`. */
export function attach(relay: RelayHint, own: PartyTls, options?: AttachOptions): Attachment {
  return new Attachment(relay, own, options);
}
