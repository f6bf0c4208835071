import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { defineTopology, run, type RunningTopology } from '../../index.ts';
import { issueCertificate, makeCertificateAuthority } from '../../transports/amqp10/index.ts';
import { attach, connect, identityOf, ListenerProtocol, relayTree, type Attachment, type PartyTls, type RelayHint } from '../../actors/relay/index.ts';

export interface BenchPki {
  relay: PartyTls & { ca: string };
  c: PartyTls;
  b: PartyTls;
}

let made: Promise<BenchPki> | undefined;
export function benchPki(): Promise<BenchPki> {
  made ??= (async () => {
    const ca = await makeCertificateAuthority('relay bench CA');
    const leaf = async (name: string) => {
      const issued = await issueCertificate(ca, { name, ips: ['127.0.0.1'] });
      return { key: issued.keyPem, cert: issued.certPem };
    };
    return { relay: { ...(await leaf('relay')), ca: ca.certPem }, c: await leaf('service'), b: await leaf('client') };
  })();
  return made;
}

/**
 * One way from B to C: `open` yields B's end of a new TLS 1.3 session with C (C's key pinned the
 * same way on every path), and C's ends arrive through `onServer`. The bytes are the same on
 * every path: only what sits between B and C differs.
 */
export interface Path {
  name: string;
  open(): Promise<Duplex>;
  onServer(handler: (stream: Duplex) => void): void;
  close(): Promise<void>;
}

/** C as a plain TLS 1.3 server on loopback, the end every path reaches. */
async function tlsServer(pki: BenchPki): Promise<{ port: number; server: tls.Server; handlers: ((s: Duplex) => void)[] }> {
  const handlers: ((s: Duplex) => void)[] = [];
  const server = tls.createServer({ ...pki.c, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' }, (socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    for (const handler of handlers) handler(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, server, handlers };
}

/** B's TLS 1.3 over `socket` (a socket or a stream), C pinned by identity, as `connect` does. */
function pinnedTls(pki: BenchPki, options: { socket?: Duplex; port?: number }): Promise<Duplex> {
  const identity = identityOf(pki.c.cert);
  const socket = tls.connect({ ...options, host: '127.0.0.1', ...pki.b, rejectUnauthorized: false, checkServerIdentity: () => undefined, minVersion: 'TLSv1.3' } as tls.ConnectionOptions);
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => {
      if (identityOf(socket.getPeerX509Certificate()!) !== identity) return reject(new Error('pinning'));
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Direct TLS: B dials C. No hop at all. */
export async function directTls(): Promise<Path> {
  const pki = await benchPki();
  const c = await tlsServer(pki);
  return {
    name: 'direct TLS',
    open: () => pinnedTls(pki, { port: c.port }),
    onServer: (handler) => c.handlers.push(handler),
    close: async () => void c.server.close(),
  };
}

/** The floor of any relay in Node: a raw TCP splice (`pipe` both ways) between B and C, carrying the same TLS session. */
export async function rawSplice(): Promise<Path & { port: number }> {
  const pki = await benchPki();
  const c = await tlsServer(pki);
  const sockets = new Set<net.Socket>();
  const splice = net.createServer((from) => {
    const to = net.connect(c.port, '127.0.0.1');
    for (const socket of [from, to]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('error', () => (from.destroy(), to.destroy()));
      socket.once('close', () => sockets.delete(socket));
    }
    from.pipe(to).pipe(from);
  });
  await new Promise<void>((resolve) => splice.listen(0, '127.0.0.1', resolve));
  const port = (splice.address() as net.AddressInfo).port;
  return {
    name: 'raw Node TCP splice',
    port,
    open: () => pinnedTls(pki, { port }),
    onServer: (handler) => c.handlers.push(handler),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      splice.close();
      c.server.close();
    },
  };
}

/** The relay: a relay tree in this process, C attached, B through `connect`. */
export async function throughRelay(): Promise<Path & { running: RunningTopology; hint: RelayHint; attachment: Attachment }> {
  const pki = await benchPki();
  const running = run(
    defineTopology('relay-bench', {
      relay: relayTree({ tcp: { host: '127.0.0.1', port: 0 }, tls: { host: '127.0.0.1', port: 0, key: pki.relay.key, cert: pki.relay.cert }, registry: { maxCircuitsPerParty: 100_000, maxCircuits: 100_000 }, listener: { maxConnectionsPerSource: 100_000, maxPendingHandshakes: 100_000 } }),
    }),
  );
  const status = await running.ref('relay/listener', ListenerProtocol).ask('status', {});
  const hint = { host: '127.0.0.1', port: status.tcp!.port, tlsPort: status.tls!.port, ca: pki.relay.ca, servername: 'relay' };
  const attachment = attach(hint, pki.c);
  await attachment.whenAttached();
  const handlers: ((s: Duplex) => void)[] = [];
  attachment.on('stream', (stream) => {
    stream.on('error', () => stream.destroy());
    for (const handler of handlers) handler(stream);
  });
  return {
    name: 'relay',
    running,
    hint,
    attachment,
    open: () => connect(hint, identityOf(pki.c.cert), pki.b),
    onServer: (handler) => handlers.push(handler),
    close: async () => {
      attachment.close();
      await running.stop({ drainTimeoutMs: 0 });
    },
  };
}
