import tls from 'node:tls';
import type { Duplex } from 'node:stream';

/**
 * Runs the server side of TLS over a stream the Network port gave (no socket is opened: a
 * `tls.Server` that never listens is handed the stream, Node's documented way to inject one).
 * Through the server, a TLS error after the handshake (a record that fails its MAC) reaches the
 * socket as 'error' and destroys it; a bare server-side `TLSSocket` would only keep it to itself.
 */
export function serverTls(base: Duplex, own: { key: string; cert: string }, options: { requestCert: boolean; minVersion?: tls.SecureVersion }): Promise<tls.TLSSocket> {
  const server = tls.createServer({ key: own.key, cert: own.cert, requestCert: options.requestCert, rejectUnauthorized: false, minVersion: options.minVersion ?? 'TLSv1.2' });
  return new Promise((resolve, reject) => {
    server.once('secureConnection', (socket: tls.TLSSocket) => resolve(socket));
    server.once('tlsClientError', (error: Error) => {
      base.destroy();
      reject(error);
    });
    server.emit('connection', base);
  });
}
