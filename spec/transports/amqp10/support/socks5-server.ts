import net from 'node:net';

/**
 * A minimal SOCKS5 proxy (RFC 1928: no authentication, CONNECT to IPv4 or a domain name) on
 * loopback, counting the tunnels it opened, for proving a client dials through it.
 */
export async function startSocks5(): Promise<{ port: number; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.once('data', (greeting) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (request) => {
        const { host, port } = target(request);
        tunnels.push(`${host}:${port}`);
        const upstream = net.connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    tunnels,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

function target(request: Buffer): { host: string; port: number } {
  const kind = request[3];
  if (kind === 1) return { host: [...request.subarray(4, 8)].join('.'), port: request.readUInt16BE(8) };
  const length = request[4];
  return { host: request.subarray(5, 5 + length).toString(), port: request.readUInt16BE(5 + length) };
}
