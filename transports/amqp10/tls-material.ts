import tls from 'node:tls';
import type { Socket } from 'node:net';
import { LinkConnectError, type HostPort, type TlsMaterial } from '../../lib/index.ts';

/** This side's key, certificate and trust roots as Node's TLS takes them; TLS 1.2 at least. */
export function tlsMaterial(tlsOptions: TlsMaterial | undefined, who: string): tls.SecureContextOptions {
  if (!tlsOptions?.key || !tlsOptions.cert || !tlsOptions.ca) throw new LinkConnectError(who, 'mutual TLS needs tls: { key, cert, ca }');
  const { key, cert, ca } = tlsOptions;
  const buffer = (value: string | Uint8Array) => (typeof value === 'string' ? value : Buffer.from(value));
  return { key: buffer(key), cert: buffer(cert), ca: Array.isArray(ca) ? ca.map(buffer) : buffer(ca), minVersion: 'TLSv1.2' };
}

const contexts = new WeakMap<TlsMaterial, tls.SecureContext>();

/**
 * The secure context of `material`, made once per material object: parsing a key, a certificate and
 * the trust roots costs a few milliseconds, every dial paid it again.
 */
export function secureContextOf(material: TlsMaterial | undefined, who: string): tls.SecureContext {
  const made = material && contexts.get(material);
  if (made) return made;
  const context = tls.createSecureContext(tlsMaterial(material, who));
  contexts.set(material!, context);
  return context;
}

export function remoteOf(socket: Socket): HostPort {
  return { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
}
