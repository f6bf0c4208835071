import type { Socket } from 'node:net';
import { SocksClient } from 'socks';
import type { HostPort } from '../../lib/index.ts';

/** A TCP stream to `to` through a SOCKS5 proxy (CONNECT, no authentication), as Corda's `proxyConfig`. */
export async function dialThroughSocks(proxy: HostPort, to: HostPort): Promise<Socket> {
  const { socket } = await SocksClient.createConnection({
    proxy: { host: proxy.host, port: proxy.port, type: 5 },
    command: 'connect',
    destination: { host: to.host, port: to.port },
  });
  return socket;
}
