import { canonicalRequest } from './control-auth.ts';
import type { ControlKey } from './control-key.ts';
import type { ControlAction, TargetRequest } from './control-protocol.ts';
import { ControlReplayError, ControlUnauthorizedError } from './errors.ts';

export interface ControlVerifierOptions {
  /** How far a request's timestamp may be from the node's clock, either way (30 s). */
  windowMs?: number;
  /** Nonces remembered at most: past this many requests within one window, more are refused. */
  maxNonces?: number;
}

/**
 * Checks the authenticator of state-changing control requests for one node: the MAC (constant
 * time), the timestamp against the node's clock, and that the nonce was not seen within the
 * window. A nonce is forgotten once its timestamp falls out of the window, since the window
 * check alone refuses it from then on: memory stays bounded by the request rate.
 */
export class ControlVerifier {
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxNonces: number;

  constructor(
    private readonly key: ControlKey,
    private readonly node: string,
    options: ControlVerifierOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 30_000;
    this.maxNonces = options.maxNonces ?? 4096;
  }

  /** Throws `ControlUnauthorizedError` or `ControlReplayError` unless the request may run. */
  check(type: ControlAction, request: TargetRequest, now: number): void {
    const { auth } = request;
    if (!auth) throw new ControlUnauthorizedError(this.node, `'${type}' carries no authenticator (it needs the node's control key)`);
    const { address, config } = request;
    const signed = canonicalRequest({ node: this.node, type, address, timestamp: auth.timestamp, nonce: auth.nonce, ...(config === undefined ? {} : { config }) });
    if (!this.key.verify(signed, Buffer.from(auth.mac, 'hex'))) {
      throw new ControlUnauthorizedError(this.node, `bad authenticator for '${type}' (not made with this node's control key)`);
    }
    const skewMs = auth.timestamp - now;
    if (Math.abs(skewMs) > this.windowMs) {
      throw new ControlReplayError(this.node, `signed ${Math.round(Math.abs(skewMs) / 1000)} s ${skewMs < 0 ? 'ago' : 'ahead'}, outside the ±${this.windowMs / 1000} s window (or the clocks disagree)`);
    }
    this.forgetExpired(now);
    if (this.seen.has(auth.nonce)) throw new ControlReplayError(this.node, 'its nonce was already used');
    if (this.seen.size >= this.maxNonces) {
      throw new ControlUnauthorizedError(this.node, `more than ${this.maxNonces} control requests within ${this.windowMs / 1000} s`);
    }
    this.seen.set(auth.nonce, auth.timestamp);
  }

  private forgetExpired(now: number): void {
    for (const [nonce, timestamp] of this.seen) if (timestamp < now - this.windowMs) this.seen.delete(nonce);
  }
}
