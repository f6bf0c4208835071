import net from 'node:net';
import dgram from 'node:dgram';
import type { Connection, DatagramSocket, HostPort, Listener, Network } from './network.ts';

/** Node's own TCP and UDP sockets. */
export const realNetwork: Network = {
  listen(at, onConnection) {
    return new Promise<Listener>((resolve, reject) => {
      const server = net.createServer((socket) => onConnection({ stream: socket, remote: remoteOf(socket) }));
      server.once('error', reject);
      server.listen(at.port, at.host, () => {
        const bound = server.address() as net.AddressInfo;
        resolve({
          address: { host: bound.address, port: bound.port },
          // Stops accepting at once; connections already handed out are their owner's to end.
          close: async () => void server.close(),
        });
      });
    });
  },

  dial(to) {
    return new Promise<Connection>((resolve, reject) => {
      const socket = net.connect(to.port, to.host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve({ stream: socket, remote: remoteOf(socket) });
      });
    });
  },

  bindDatagram(at, onDatagram) {
    return new Promise<DatagramSocket>((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(at.host) ? 'udp6' : 'udp4');
      socket.once('error', reject);
      socket.on('message', (bytes, info) => onDatagram(bytes, { host: info.address, port: info.port }));
      socket.bind(at.port, at.host, () => {
        const bound = socket.address();
        resolve({
          address: { host: bound.address, port: bound.port },
          send: (bytes: Uint8Array, to: HostPort) =>
            new Promise<void>((done, fail) => socket.send(bytes, to.port, to.host, (error) => (error ? fail(error) : done()))),
          close: () => new Promise<void>((done) => socket.close(() => done())),
        });
      });
    });
  },
};

function remoteOf(socket: net.Socket): HostPort {
  return { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
}
