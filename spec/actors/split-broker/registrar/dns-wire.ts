import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import type { z } from 'zod';
import { child, createSystem, startTree, supervisor, VirtualClock, type ActorSystem } from '../../../../internal.ts';
import { DnsRegistrarConfig, dnsRegistrarActor, RegistrarProtocol } from '../../../../actors/split-broker/index.ts';

/**
 * Sends `query` from `from` (any 127.0.0.0/8 address: Linux answers them all on loopback, so each
 * is a source of its own) and resolves with the reply datagram. The 10 s deadline is a
 * hundredfold what a loopback exchange takes, so only a registrar that never answers trips it.
 */
export function exchange(port: number, query: Uint8Array, from = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), reject(new Error(`no reply from ${from} within 10 s`))), 10_000);
    socket.once('message', (message) => (clearTimeout(timer), socket.close(), resolve(message)));
    socket.bind(0, from, () => socket.send(query, port, '127.0.0.1'));
  });
}

/** A TCP connection to the registrar with a reader of length-prefixed replies. */
export async function dialTcp(port: number): Promise<{ socket: net.Socket; send(query: Uint8Array): void; next(): Promise<Buffer>; closed: Promise<unknown> }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let buffered = Buffer.alloc(0);
  const waiting: ((reply: Buffer) => void)[] = [];
  const ready: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
      const reply = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
      buffered = buffered.subarray(2 + reply.length);
      const taker = waiting.shift();
      if (taker) taker(reply);
      else ready.push(reply);
    }
  });
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  return {
    socket,
    send: (query) => socket.write(Buffer.concat([Buffer.from([query.length >> 8, query.length & 255]), query])),
    next: () => (ready.length > 0 ? Promise.resolve(ready.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    closed,
  };
}

/** A DNS registrar serving zone `b.test` at `edge/dns`, on a virtual clock, on a free loopback port. */
export async function startDnsRegistrar(config: Omit<z.input<typeof DnsRegistrarConfig>, 'port' | 'zone'> = {}): Promise<{ system: ActorSystem; port: number }> {
  const system = createSystem({ ports: { clock: new VirtualClock({ start: 1_700_000_000_000 }) } });
  startTree(system, supervisor({ children: [child('dns', dnsRegistrarActor, { config: { port: 0, zone: 'b.test', ...config } })] }), 'edge');
  const { port } = await system.ref('edge/dns', RegistrarProtocol).ask('where', {});
  return { system, port };
}
