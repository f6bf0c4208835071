/**
 * `npm run bench -- float`: the float's links beside a raw Node TLS pipe (mutual TLS, loopback)
 * carrying the same bytes in the same run, for 200 B and 64 KiB messages:
 * messages/s, MB/s and this process's CPU per message with 256 messages in flight on every path (each waits for its own
 * acknowledgement: a settlement, or the pipe's one-byte ack, batched per read on both), and the p50/p99 round trip of one message
 * (send → the far end has it → its settlement or ack is back).
 *
 * The paths under test are `PATHS` (each a `PathUnderTest`, bench/float/path.ts): rhea alone over
 * the same TLS (the floor of AMQP 1.0 framing in Node), one AMQP 1.0 hop through the Links port,
 * and the whole peer → Float → BridgeManager → RabbitMQ path; every figure
 * of each is printed against the same baseline.
 */
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { bareRhea } from './float/bare-rhea.ts';
import { brokerFloor } from './float/broker-floor.ts';
import { fullFloatPath } from './float/full-path.ts';
import { linksHop } from './float/links-hop.ts';
import { onPath, roundTrips, throughput, type PathFigures } from './float/measure.ts';
import type { PathUnderTest } from './float/path.ts';
import { rawTlsPipe } from './float/tls-pipe.ts';

/**
 * Bare rhea and raw amqplib's publish + confirm are references too: the Links hop's distance from
 * bare rhea is what airlock's layer costs, the full path's from the broker floor what the float adds.
 */
export const PATHS: PathUnderTest[] = [bareRhea, linksHop, brokerFloor, fullFloatPath];

/** Each path beside its nearest reference, from the same medians: [path, reference]. */
const AGAINST: [PathUnderTest, PathUnderTest][] = [
  [linksHop, bareRhea],
  [fullFloatPath, brokerFloor],
];

const SIZES = [
  { label: '200 B', bytes: 200, full: { count: 20_000, trips: 2_000 }, quick: { count: 3_000, trips: 300 } },
  { label: '64 KiB', bytes: 64 * 1024, full: { count: 2_000, trips: 500 }, quick: { count: 300, trips: 100 } },
];

/** Throughput of `path` and of the baseline, runs interleaved so drift hits both alike; medians. */
async function compareThroughput(path: PathUnderTest, size: number, count: number, runs: number) {
  const base: PathFigures[] = [];
  const ours: PathFigures[] = [];
  for (let run = 0; run <= runs; run++) {
    const b = await onPath(rawTlsPipe, (open) => throughput(open, size, count));
    const o = await onPath(path, (open) => throughput(open, size, count));
    if (run > 0) (base.push(b), ours.push(o)); // run 0 warms up (JIT, TLS session setup)
  }
  const of = (list: PathFigures[], key: keyof PathFigures) => median(list.map((entry) => entry[key]));
  return { base, ours, of };
}

async function compareLatency(path: PathUnderTest, size: number, trips: number) {
  // Warm both first, then measure each once on a fresh connection.
  await onPath(rawTlsPipe, (open) => roundTrips(open, size, Math.min(100, trips)));
  await onPath(path, (open) => roundTrips(open, size, Math.min(100, trips)));
  const base = await onPath(rawTlsPipe, (open) => roundTrips(open, size, trips));
  const ours = await onPath(path, (open) => roundTrips(open, size, trips));
  return { base, ours };
}

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [];
  const runs = quick ? 1 : 3;
  const rates = new Map<string, number>();
  const cpu = new Map<string, number>();
  for (const path of PATHS) {
    for (const size of SIZES) {
      const { count, trips } = quick ? size.quick : size.full;
      const at = `${path.name}, ${size.label}`;
      const { base, ours, of } = await compareThroughput(path, size.bytes, count, runs);
      figures.push(
        figure(`${at}: messages/s`, of(ours, 'messagesPerSecond'), 'msg/s', rawTlsPipe.name, of(base, 'messagesPerSecond'), true),
        figure(`${at}: MB/s`, of(ours, 'megabytesPerSecond'), 'MB/s', rawTlsPipe.name, of(base, 'megabytesPerSecond'), true),
        // Both ends run in this process; the broker's CPU (full path, amqplib) is not counted.
        figure(`${at}: CPU per message`, of(ours, 'cpuMicrosPerMessage'), 'µs', rawTlsPipe.name, of(base, 'cpuMicrosPerMessage'), false),
      );
      rates.set(at, of(ours, 'messagesPerSecond'));
      cpu.set(at, of(ours, 'cpuMicrosPerMessage'));
      const latency = await compareLatency(path, size.bytes, trips);
      figures.push(
        figure(`${at}: round trip p50`, latency.ours.p50Ms, 'ms', rawTlsPipe.name, latency.base.p50Ms, false),
        figure(`${at}: round trip p99`, latency.ours.p99Ms, 'ms', rawTlsPipe.name, latency.base.p99Ms, false),
      );
    }
  }
  for (const [path, reference] of AGAINST) {
    for (const size of SIZES) {
      const rate = (of: PathUnderTest) => rates.get(`${of.name}, ${size.label}`)!;
      const perMessage = (of: PathUnderTest) => cpu.get(`${of.name}, ${size.label}`)!;
      figures.push(
        figure(`${path.name}, ${size.label}: messages/s`, rate(path), 'msg/s', reference.name, rate(reference), true),
        figure(`${path.name}, ${size.label}: CPU per message`, perMessage(path), 'µs', reference.name, perMessage(reference), false),
      );
    }
  }
  return figures;
};

export default bench;
