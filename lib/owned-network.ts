import type { Duplex } from 'node:stream';
import { ActorStoppedError } from './errors.ts';
import { OwnedResources } from './owned-resources.ts';
import type { Connection, DatagramSocket, HostPort, Listener, Network } from './ports/network.ts';

/** Wraps a callback so that a throw or rejection crashes the incarnation (see `ActorContext.supervise`). */
export type Supervise = <A extends unknown[]>(callback: (...args: A) => unknown) => (...args: A) => void;

/**
 * The Network port as one actor incarnation sees it. Every listener, connection and datagram
 * socket it hands out is recorded and closed when the incarnation ends (open connections are
 * destroyed, so a keep-alive client cannot hold a stop up), and every callback it is given runs
 * supervised. What resolves after the end (a listen still pending) is closed at once.
 */
export class OwnedNetwork implements Network {
  private readonly resources: OwnedResources;
  private readonly streams = new Set<Duplex>();

  constructor(
    private readonly inner: Network,
    private readonly address: string,
    private readonly supervise: Supervise,
    /** Told of stream errors nobody else listens to, which Node would otherwise throw at the process. */
    private readonly onStreamError: (error: Error) => void,
  ) {
    this.resources = new OwnedResources(address);
  }

  async listen(at: HostPort, onConnection: (connection: Connection) => void): Promise<Listener> {
    const supervised = this.supervise(onConnection);
    const listener = await this.inner.listen(at, (connection) => {
      if (this.resources.closed) return void connection.stream.destroy();
      this.track(connection.stream);
      supervised(connection);
    });
    return this.resources.own(listener);
  }

  async dial(to: HostPort): Promise<Connection> {
    const connection = await this.inner.dial(to);
    if (this.resources.closed) {
      connection.stream.destroy();
      throw new ActorStoppedError(this.address);
    }
    this.track(connection.stream);
    return connection;
  }

  async bindDatagram(at: HostPort, onDatagram: (bytes: Uint8Array, from: HostPort) => void): Promise<DatagramSocket> {
    return this.resources.own(await this.inner.bindDatagram(at, this.supervise(onDatagram)));
  }

  /** Destroys every open stream, then closes every listener and socket; resolves when all are closed. */
  close(): Promise<void> {
    const closing = this.resources.close();
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
    return closing;
  }

  private track(stream: Duplex): void {
    this.streams.add(stream);
    stream.once('close', () => this.streams.delete(stream));
    stream.on('error', (error: Error) => {
      if (stream.listenerCount('error') === 1) this.onStreamError(error);
    });
  }
}
