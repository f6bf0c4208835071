import { AirlockError } from '../../lib/errors.ts';

/** Why the observer refused a request; the HTTP answer is 403 with `{ ok: false, error: { code, message } }`. */
export type RefusalCode =
  /** Reachable mode: no token, or a wrong one. */
  | 'OBSERVER_UNAUTHENTICATED'
  /** An action without the session's CSRF token (or without a session). */
  | 'OBSERVER_BAD_CSRF'
  /** An action from another origin than the observer's page. */
  | 'OBSERVER_CROSS_ORIGIN'
  /** Loopback mode: a Host header that is not a loopback name (DNS rebinding). */
  | 'OBSERVER_BAD_HOST';

export class ObserverRefusedError extends AirlockError {
  constructor(readonly refusal: RefusalCode, message: string) {
    super(refusal, message);
  }
}

/** An action request that does not say what to do: 400. */
export class BadActionError extends AirlockError {
  constructor(message: string) {
    super('OBSERVER_BAD_ACTION', message);
  }
}
