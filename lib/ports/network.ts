import type { Duplex } from 'node:stream';

export interface HostPort {
  host: string;
  port: number;
}

/** A listening endpoint; `address` carries the port actually bound (useful with port 0). */
export interface Listener {
  readonly address: HostPort;
  /** Stops accepting; connections already accepted stay open (the actor's network destroys them when it ends). */
  close(): Promise<void>;
}

/** A bound datagram endpoint. */
export interface DatagramSocket {
  readonly address: HostPort;
  send(bytes: Uint8Array, to: HostPort): Promise<void>;
  close(): Promise<void>;
}

/** One stream between two hosts, accepted or dialled. */
export interface Connection {
  /** The byte stream; actors may run `http` or `tls` over it. */
  stream: Duplex;
  /** The other end: the dialling peer for an accepted connection, the server for a dialled one. */
  remote: HostPort;
}

/**
 * Sockets, as the system sees them. Actors never listen or dial themselves: they ask this port
 * for byte streams and datagrams, so the simulation can hand them virtual ones instead.
 */
export interface Network {
  listen(at: HostPort, onConnection: (connection: Connection) => void): Promise<Listener>;
  dial(to: HostPort): Promise<Connection>;
  bindDatagram(at: HostPort, onDatagram: (bytes: Uint8Array, from: HostPort) => void): Promise<DatagramSocket>;
}
