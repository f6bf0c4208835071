import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Grant } from '../wire/frames.ts';
import { identityOf, type Identity } from '../wire/identity.ts';
import { IdentityMismatchError } from './errors.ts';
import type { PartyTls } from './relay-hint.ts';
import { serverTls } from '../tls-over-stream.ts';

/** A stream through the relay: end-to-end TLS 1.3, the far end's identity checked. */
export type RelayedStream = tls.TLSSocket & {
  /** The far end's identity (B's, as C sees it, when B presented a certificate). */
  readonly peerIdentity: Identity | undefined;
  /** The circuit's limits, as the relay granted them. */
  readonly grant: Grant;
};

const peerIdentityOf = (socket: tls.TLSSocket): Identity | undefined => {
  const certificate = socket.getPeerX509Certificate();
  return certificate ? identityOf(certificate) : undefined;
};

/**
 * B's side: TLS 1.3 client over the relayed bytes, C's certificate pinned by identity. The chain is
 * not checked against any CA (C's certificate may be self-signed): what counts is that the key
 * that signed the handshake (TLS 1.3 CertificateVerify) hashes to `identity`. A mismatch destroys
 * the stream before a byte of application data is read.
 */
export function tlsToParty(base: Duplex, identity: Identity, own: PartyTls, grant: Grant): Promise<RelayedStream> {
  const socket = tls.connect({
    socket: base,
    key: own.key,
    cert: own.cert,
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    minVersion: 'TLSv1.3',
  });
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      const presented = peerIdentityOf(socket);
      if (presented !== identity) {
        socket.destroy();
        base.destroy();
        return reject(new IdentityMismatchError(identity, presented));
      }
      resolve(Object.assign(socket, { peerIdentity: presented, grant }));
    });
    socket.once('error', (error) => {
      base.destroy();
      reject(error);
    });
  });
}

/** C's side: TLS 1.3 server over the relayed bytes; B is asked for its certificate and named by it. */
export async function tlsFromParty(base: Duplex, own: PartyTls, grant: Grant, allow?: (peer: Identity | undefined) => boolean): Promise<RelayedStream> {
  const socket = await serverTls(base, own, { requestCert: true, minVersion: 'TLSv1.3' });
  const peer = peerIdentityOf(socket);
  if (allow && !allow(peer)) {
    socket.destroy();
    base.destroy();
    throw new IdentityMismatchError('an allowed identity', peer);
  }
  return Object.assign(socket, { peerIdentity: peer, grant });
}
