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
    const fail = (error: Error) => {
      base.off('end', ended).off('close', ended);
      base.destroy();
      reject(error);
    };
    // The stream ending before the handshake did fails it at once (a stream that is not a socket may not close by itself).
    const ended = () => fail(new Error('the connection ended before the TLS handshake did'));
    base.once('end', ended).once('close', ended);
    server.once('secureConnection', (socket: tls.TLSSocket) => {
      base.off('end', ended).off('close', ended);
      resolve(socket);
    });
    server.once('tlsClientError', fail);
    server.emit('connection', base);
  });
}
