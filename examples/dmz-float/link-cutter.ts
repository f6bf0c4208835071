/**
 * A loopback TCP relay the demo puts on a link so it can cut it: `cut()` resets both sockets of
 * every connection mid-stream (the peers see a reset, as from a failed network) and refuses new
 * ones until `restore()`. (The specs use their own, spec/support/cuttable-proxy.ts.)
 */
import net from 'node:net';

export interface LinkCutter {
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function linkCutter(targetPort: number): Promise<LinkCutter> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', drop).on('close', drop);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cutAll = () => {
    down = true;
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: cutAll,
    restore: () => void (down = false),
    close: () => {
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
