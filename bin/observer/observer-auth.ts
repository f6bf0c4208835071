import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ObserverRefusedError } from './errors.ts';

export const SESSION_COOKIE = 'airlock_observer_session';
export const TOKEN_COOKIE = 'airlock_observer_token';
export const CSRF_HEADER = 'x-airlock-csrf';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Who sent a request, for the audit log: never the token itself. */
export interface Caller {
  session: string;
  remote: string;
}

/**
 * The observer's gate. On loopback (the default) only this machine reaches it, and the Host
 * header must name loopback (a page of another site that rebinds its DNS name to 127.0.0.1 is
 * refused). Reachable (`--listen`), every request needs the token printed at start, as a cookie
 * (set by opening `/?token=…` once) or `Authorization: Bearer …`. Either way an action needs
 * the session's CSRF token in a header and an Origin that is the observer's own.
 */
export class ObserverAuth {
  /** Signs session ids into CSRF tokens; lives as long as the process. */
  private readonly secret = randomBytes(32);

  constructor(readonly token: string | undefined) {}

  static reachable(): ObserverAuth {
    return new ObserverAuth(randomBytes(24).toString('base64url'));
  }

  static loopback(): ObserverAuth {
    return new ObserverAuth(undefined);
  }

  /** Throws `ObserverRefusedError` unless the request may see the observer at all. */
  admit(request: IncomingMessage): void {
    if (this.token === undefined) {
      if (!LOOPBACK_HOSTS.has(hostName(request.headers.host ?? ''))) throw new ObserverRefusedError('OBSERVER_BAD_HOST', `Host '${request.headers.host ?? ''}' is not loopback`);
      return;
    }
    const presented = bearer(request) ?? cookies(request).get(TOKEN_COOKIE);
    if (presented === undefined || !sameText(presented, this.token)) throw new ObserverRefusedError('OBSERVER_UNAUTHENTICATED', 'the observer token is missing or wrong (open the URL printed at start)');
  }

  /** Whether `token` (from `/?token=`) is the observer's. */
  tokenMatches(token: string): boolean {
    return this.token !== undefined && sameText(token, this.token);
  }

  /** The request's session, or a new one (then `fresh`: the caller sets its cookie). */
  session(request: IncomingMessage): { id: string; fresh: boolean } {
    const id = cookies(request).get(SESSION_COOKIE);
    if (id !== undefined && /^[A-Za-z0-9_-]{22,64}$/.test(id)) return { id, fresh: false };
    return { id: randomBytes(18).toString('base64url'), fresh: true };
  }

  csrfToken(session: string): string {
    return createHmac('sha256', this.secret).update(session).digest('base64url');
  }

  /** Throws unless `request` may act: admitted, same origin, with its session's CSRF token. Resolves who it is. */
  authorizeAction(request: IncomingMessage): Caller {
    this.admit(request);
    const origin = request.headers.origin;
    const host = request.headers.host;
    if (origin === undefined || host === undefined || origin !== `http://${host}`) {
      throw new ObserverRefusedError('OBSERVER_CROSS_ORIGIN', `an action must come from the observer's own page (Origin ${origin ?? 'missing'})`);
    }
    const session = cookies(request).get(SESSION_COOKIE);
    const csrf = request.headers[CSRF_HEADER];
    if (session === undefined || typeof csrf !== 'string' || !sameText(csrf, this.csrfToken(session))) {
      throw new ObserverRefusedError('OBSERVER_BAD_CSRF', 'the action lacks the page session\'s CSRF token (reload the page)');
    }
    return { session: session.slice(0, 8), remote: request.socket.remoteAddress ?? '?' };
  }

  /** The cookie attributes: only this site's requests carry it, and scripts never read it. */
  static cookie(name: string, value: string): string {
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon < 0 ? host : host.slice(0, colon)).toLowerCase();
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function cookies(request: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
