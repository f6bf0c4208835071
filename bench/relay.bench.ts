/**
 * `npm run bench -- relay`: the ciphertext relay beside the same bytes on two baselines measured
 * in the same run: a raw Node TCP splice (`pipe` both ways, the floor of any relay written in
 * Node) and direct TLS (no hop). Every path carries the same TLS 1.3 session between B and C,
 * C's key pinned. Figures: MB/s B → C over 1 and 16 concurrent circuits, the p50/p99 round trip
 * of 64-byte writes (C echoes), and the resident memory of the relay per idle circuit (the relay
 * and the splice each alone in a child process).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { benchPki, directTls, rawSplice, throughRelay, type Path } from './relay/paths.ts';
import { roundTrips, throughput } from './relay/measure.ts';
import { attach, connect, identityOf } from '../actors/relay/index.ts';
import tls from 'node:tls';
import net from 'node:net';
import type { Duplex } from 'node:stream';

const MIB = 1024 * 1024;

async function on<T>(make: () => Promise<Path>, measure: (path: Path) => Promise<T>): Promise<T> {
  const path = await make();
  try {
    return await measure(path);
  } finally {
    await path.close();
  }
}

/** Medians over `runs` interleaved runs (after one warm-up), so drift hits every path alike. */
async function mbps(circuits: number, bytes: number, runs: number) {
  const results = { relay: [] as number[], splice: [] as number[], direct: [] as number[] };
  for (let run = 0; run <= runs; run += 1) {
    const relay = await on(throughRelay, (path) => throughput(path, circuits, bytes));
    const splice = await on(rawSplice, (path) => throughput(path, circuits, bytes));
    const direct = await on(directTls, (path) => throughput(path, circuits, bytes));
    if (run > 0) (results.relay.push(relay), results.splice.push(splice), results.direct.push(direct));
  }
  return { relay: median(results.relay), splice: median(results.splice), direct: median(results.direct) };
}

function host(): Promise<{ child: ChildProcess; ask<T>(message: unknown): Promise<T> }> {
  const child = fork(fileURLToPath(new URL('./relay/rss-host.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: unknown) =>
    new Promise<T>((resolve) => {
      child.once('message', (answer) => resolve(answer as T));
      child.send(message as never);
    });
  return Promise.resolve({ child, ask });
}

/** RSS growth of the relay process per idle circuit, and of a splice process per idle spliced session. */
type Memory = { rss: number; heapUsed: number };
const perCircuit = (after: Memory, before: Memory, n: number): Memory => ({ rss: (after.rss - before.rss) / n, heapUsed: (after.heapUsed - before.heapUsed) / n });

async function rssPerCircuit(circuits: number): Promise<{ relay: Memory; splice: Memory }> {
  const pki = await benchPki();
  const held: Duplex[] = [];
  // The relay, alone in its process; C and B here.
  const relayHost = await host();
  const ports = await relayHost.ask<{ tcp: number; tls: number }>({ start: 'relay', key: pki.relay.key, cert: pki.relay.cert });
  const hint = { host: '127.0.0.1', port: ports.tcp, tlsPort: ports.tls, ca: pki.relay.ca, servername: 'relay' };
  const c = attach(hint, pki.c);
  c.on('stream', (stream) => held.push(stream));
  await c.whenAttached();
  const relayBefore = await relayHost.ask<Memory>('rss');
  for (let i = 0; i < circuits; i += 1) held.push(await connect(hint, identityOf(pki.c.cert), pki.b));
  const relayAfter = await relayHost.ask<Memory>('rss');
  c.close();
  for (const stream of held.splice(0)) stream.destroy();
  relayHost.child.send('exit');
  // The splice, alone in its process, in front of a TLS server here.
  const server = tls.createServer({ ...pki.c, minVersion: 'TLSv1.3' }, (socket) => (socket.on('error', () => {}), held.push(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spliceHost = await host();
  const splice = await spliceHost.ask<{ tcp: number }>({ start: 'splice', target: (server.address() as net.AddressInfo).port });
  const spliceBefore = await spliceHost.ask<Memory>('rss');
  for (let i = 0; i < circuits; i += 1) {
    const socket = tls.connect({ port: splice.tcp, host: '127.0.0.1', ...pki.b, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    held.push(socket);
  }
  const spliceAfter = await spliceHost.ask<Memory>('rss');
  for (const stream of held.splice(0)) stream.destroy();
  spliceHost.child.send('exit');
  server.close();
  return { relay: perCircuit(relayAfter, relayBefore, circuits), splice: perCircuit(spliceAfter, spliceBefore, circuits) };
}

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [];
  const runs = quick ? 1 : 3;
  for (const [circuits, bytes] of [
    [1, quick ? 64 * MIB : 256 * MIB],
    [16, quick ? 4 * MIB : 16 * MIB],
  ] as const) {
    const at = `${circuits} circuit${circuits > 1 ? 's' : ''}, ${(circuits * bytes) / MIB} MiB B → C`;
    const { relay, splice, direct } = await mbps(circuits, bytes, runs);
    figures.push(figure(`${at}: MB/s`, relay, 'MB/s', 'raw Node TCP splice', splice, true), figure(`${at}: MB/s`, relay, 'MB/s', 'direct TLS', direct, true));
  }
  const trips = quick ? 500 : 3_000;
  await on(throughRelay, (path) => roundTrips(path, 64, 200)); // warm-up
  const relay = await on(throughRelay, (path) => roundTrips(path, 64, trips));
  const splice = await on(rawSplice, (path) => roundTrips(path, 64, trips));
  const direct = await on(directTls, (path) => roundTrips(path, 64, trips));
  figures.push(
    figure('64 B writes, round trip p50', relay.p50, 'ms', 'raw Node TCP splice', splice.p50, false),
    figure('64 B writes, round trip p99', relay.p99, 'ms', 'raw Node TCP splice', splice.p99, false),
    figure('64 B writes, round trip p99', relay.p99, 'ms', 'direct TLS', direct.p99, false),
    figure('64 B writes, p99 added by the hop (vs direct TLS)', relay.p99 - direct.p99, 'ms', 'raw Node TCP splice', splice.p99 - direct.p99, false),
  );
  const rss = await rssPerCircuit(quick ? 100 : 400);
  figures.push(
    figure('RSS per idle circuit (relay process)', rss.relay.rss / 1024, 'KiB', 'raw Node TCP splice, per spliced session', rss.splice.rss / 1024, false),
    figure('V8 heap per idle circuit (relay process)', rss.relay.heapUsed / 1024, 'KiB', 'raw Node TCP splice, per spliced session', rss.splice.heapUsed / 1024, false),
  );
  return figures;
};

export default bench;
