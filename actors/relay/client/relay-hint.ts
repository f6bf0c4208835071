import type { Clock } from '../../../lib/ports/clock.ts';
import type { Network } from '../../../lib/ports/network.ts';
import type { Random } from '../../../lib/ports/random.ts';

/** Where a relay listens, as a connection hint names it. */
export interface RelayHint {
  host: string;
  /** Plain TCP port: CONNECT and ACCEPT. */
  port?: number;
  /** TLS port: RESERVE, and CONNECT/ACCEPT hidden from a passive observer. */
  tlsPort?: number;
  /** Trust roots for the relay's own certificate (TLS port). */
  ca?: string | string[];
  /** The name the relay's certificate must carry; `host` unless given. */
  servername?: string;
}

/** A party's own key and certificate (PEM); its identity is the hash of the certificate's public key. */
export interface PartyTls {
  key: string;
  cert: string;
}

/** Where the client library gets sockets, time and jitter: the real ports unless given (a simulation passes its own). */
export interface ClientPorts {
  network?: Network;
  clock?: Clock;
  random?: Random;
}
