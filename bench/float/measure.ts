import { percentile } from '../figures.ts';
import type { OpenPath, PathUnderTest } from './path.ts';

/** Messages in flight at once in the throughput load: deep enough to fill the pipe. */
export const WINDOW = 256;

export interface PathFigures {
  messagesPerSecond: number;
  megabytesPerSecond: number;
  /** This process's CPU (user + system, both ends of the path) per message: steadier than rates on a busy machine. */
  cpuMicrosPerMessage: number;
}

/** Sends `count` messages of `size` bytes keeping `WINDOW` unsettled; messages/s and MB/s until the last settled. */
export async function throughput(path: OpenPath, size: number, count: number): Promise<PathFigures> {
  const payload = new Uint8Array(size).fill(0x61);
  let next = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const lane = async () => {
    while (next < count) await path.send(payload, `m-${next++}`);
  };
  await Promise.all(Array.from({ length: Math.min(WINDOW, count) }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { messagesPerSecond: count / seconds, megabytesPerSecond: (count * size) / seconds / 1e6, cpuMicrosPerMessage: (used.user + used.system) / count };
}

/** One message at a time: the round trip (send → far end has it → settlement back), p50 and p99 in ms. */
export async function roundTrips(path: OpenPath, size: number, count: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const payload = new Uint8Array(size).fill(0x62);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await path.send(payload, `rt-${i}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/** Opens the path, runs `work` on it, and closes it whatever happens. */
export async function onPath<T>(path: PathUnderTest, work: (open: OpenPath) => Promise<T>): Promise<T> {
  const open = await path.open();
  try {
    return await work(open);
  } finally {
    await open.close();
  }
}
