/**
 * A TCP proxy on loopback that can cut a link: clients dial `proxy.port` instead of the server's,
 * and every byte is piped both ways. `cut()` destroys both sockets of every connection at once,
 * mid-stream, as a failing network or a crashed middlebox would (the peers see a reset, not a
 * goodbye), and refuses new connections until `restore()`. The DMZ float demo cuts its links
 * with it, and so do airlock's own link-loss specs.
 */
import net from 'node:net';

export interface CuttableProxy {
  readonly port: number;
  /** Connections accepted and piped through so far. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** Destroys every open connection (both sides) and refuses new ones. */
  cut(): void;
  /** Accepts and pipes connections again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: { host?: string; port: number }): Promise<CuttableProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let cut = false;
  let accepted = 0;
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    accepted++;
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Either side ending or failing ends the other: a half-open pipe would hide the loss.
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    cut: cutAll,
    restore() {
      cut = false;
    },
    close() {
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };

  function cutAll(): void {
    cut = true;
    for (const [client, upstream] of [...pairs]) {
      // resetAndDestroy sends RST where it can: the far sides learn at once, mid-stream.
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  }
}
