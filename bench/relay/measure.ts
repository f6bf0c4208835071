import type { Duplex } from 'node:stream';
import { percentile } from '../figures.ts';
import type { Path } from './paths.ts';

const CHUNK = Buffer.alloc(64 * 1024, 0x5a);

/** Every C end counts what arrives and reports when `bytes` have. */
function sink(path: Path): { expect(streams: number, bytes: number): Promise<void> } {
  let waiting: { left: number; resolve: () => void } | undefined;
  path.onServer((stream) => {
    stream.on('data', (chunk: Buffer) => {
      if (!waiting) return;
      waiting.left -= chunk.length;
      if (waiting.left <= 0) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve();
      }
    });
  });
  return { expect: (streams, bytes) => new Promise((resolve) => (waiting = { left: streams * bytes, resolve })) };
}

async function pump(stream: Duplex, bytes: number): Promise<void> {
  for (let sent = 0; sent < bytes; sent += CHUNK.length) {
    if (!stream.write(CHUNK)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

/** MB/s (10^6 bytes) from B to C over `circuits` sessions at once, each carrying `bytes`. */
export async function throughput(path: Path, circuits: number, bytes: number): Promise<number> {
  const counter = sink(path);
  const streams = await Promise.all(Array.from({ length: circuits }, () => path.open()));
  const arrived = counter.expect(circuits, bytes);
  const started = performance.now();
  await Promise.all(streams.map((stream) => pump(stream, bytes)));
  await arrived;
  const seconds = (performance.now() - started) / 1000;
  for (const stream of streams) stream.destroy();
  return (circuits * bytes) / 1e6 / seconds;
}

/** Round trips of `size`-byte writes (C echoes), one at a time: p50 and p99 in ms. */
export async function roundTrips(path: Path, size: number, trips: number): Promise<{ p50: number; p99: number }> {
  path.onServer((stream) => stream.on('data', (chunk: Buffer) => stream.write(chunk)));
  const stream = await path.open();
  const payload = Buffer.alloc(size, 0x61);
  const times: number[] = [];
  for (let trip = 0; trip < trips; trip += 1) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let got = 0;
      const onData = (chunk: Buffer) => {
        got += chunk.length;
        if (got >= size) {
          stream.off('data', onData);
          resolve();
        }
      };
      stream.on('data', onData);
      stream.write(payload);
    });
    times.push(performance.now() - started);
  }
  stream.destroy();
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
