/**
 * `npm run bench -- observe`: what watching costs.
 * 1. tell→handle throughput of a node with `airlock observe` attached (a separate process polling
 *    the node's admin socket for status, stats and events, with a browser's event stream open on it)
 *    against the same node with the observer stopped, in the same run: rounds alternate, median
 *    of each. Goal: ≥ 0.95×.
 * 2. event → DOM latency in chromium under 1,000 events/s: from the moment the observer records an
 *    event to the moment the page has drawn it, p50 and p99, with the shipped batching (a push
 *    every 250 ms) against pushes as soon as possible (interval 0), in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, run, supervisor } from '../index.ts';
import { AdminServer, adminSocketPath, ensureControlKey } from '../node/index.ts';
import { ObservedSystem, ObserverAuth, ObserverServer, PUSH_INTERVAL_MS, type NodeSource } from '../bin/observer/index.ts';
import { figure, median, percentile, type Benchmark, type Figure } from './figures.ts';

const AIRLOCK = fileURLToPath(new URL('../bin/airlock.js', import.meta.url));
const CHROMIUM = process.env.AIRLOCK_CHROMIUM ?? '/usr/bin/chromium';

const Sink = defineProtocol('bench.sink', {
  bump: { body: z.object({}) },
  count: { body: z.object({}), reply: z.number() },
});

const sink = defineActor({
  protocol: Sink,
  // A bound above one round, so the round measures handling, not the sender waiting for room.
  mailbox: { capacity: 1_000_000 },
  setup() {
    let count = 0;
    return {
      bump: () => {
        count++;
      },
      count: () => count,
    };
  },
});

const topology = defineTopology('observed', {
  bench: supervisor({ strategy: 'one_for_one', children: [child('a', sink), child('b', sink), child('c', sink), child('sink', sink)] }),
});

/** Tells per batch; each batch ends with an ask behind it, so a round counts only handled messages. */
const BATCH = 5_000;

/** One round: batches of tells for at least `roundMs` (several of the observer's polls); messages handled per second. */
async function round(running: ReturnType<typeof run>, roundMs: number): Promise<number> {
  const ref = running.ref('bench/sink', Sink);
  const before = await ref.ask('count', {});
  const started = performance.now();
  let told = 0;
  while (performance.now() - started < roundMs) {
    for (let i = 0; i < BATCH; i++) void ref.tell('bump', {});
    told += BATCH;
    const count = await ref.ask('count', {});
    if (count - before !== told) throw new Error(`the sink handled ${count - before} of ${told}`);
  }
  return (told * 1000) / (performance.now() - started);
}

/**
 * Rounds alternate with the observer process stopped (SIGSTOP: no polls, nothing read) and running
 * (SIGCONT: polling the node once a second, a browser's stream open), so both sides of each pair see
 * the same machine load (others' work on this machine drifts over seconds); the figure is the
 * median of each side, and the name gives the median of the pairs' ratios.
 */
async function throughput(quick: boolean): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-observe-'));
  const key = await ensureControlKey(join(dir, 'control.key'));
  const running = run(topology, { control: { key } });
  const admin = await AdminServer.listen({ system: running.system, node: 'bench', key, path: adminSocketPath(join(dir, 'admin'), 'bench') });
  const roundMs = quick ? 1_200 : 2_000;
  const pairs = quick ? 4 : 10;
  const detached: number[] = [];
  const attached: number[] = [];
  const observer = await startObserve(join(dir, 'admin'));
  const stream = await openStream(observer.url);
  try {
    await round(running, 1_500); // warm-up, with the observer's first polls
    for (let i = 0; i < pairs; i++) {
      observer.child.kill('SIGSTOP');
      detached.push(await round(running, roundMs));
      observer.child.kill('SIGCONT');
      attached.push(await round(running, roundMs));
    }
  } finally {
    observer.child.kill('SIGCONT');
    stream.destroy();
    await stop(observer.child);
    await admin.close();
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const pairRatio = median(attached.map((value, i) => value / detached[i]));
  return [figure(`tell→handle, observer polling (${pairs} paired rounds of ${roundMs} ms; pairs' median ratio ${pairRatio.toFixed(2)})`, median(attached), 'msg/s', 'observer stopped', median(detached), true)];
}

/** `airlock observe --socket <dir>` as the operator runs it; resolves with its address once ready. */
function startObserve(directory: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [AIRLOCK, 'observe', '--socket', directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /airlock: observer on (\S+)/.exec(out)?.[1];
      if (url && out.includes('airlock: ready\n')) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`airlock observe exited ${code}`)));
  });
}

/** A browser's event stream, read and dropped. */
function openStream(url: string): Promise<{ destroy(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/events', url), (res) => {
      res.resume();
      resolve({ destroy: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** No nodes: the events come from the bench, 1,000 a second. */
const NO_NODES: NodeSource = {
  nodes: async () => [],
  status: async () => {
    throw new Error('no nodes');
  },
  stats: async () => {
    throw new Error('no nodes');
  },
  events: async () => {
    throw new Error('no nodes');
  },
  act: async () => {
    throw new Error('no nodes');
  },
  close: async () => {},
};

/** Milliseconds from `record` to drawn in the page, for each event of `seconds` at 1,000 events/s. */
async function domLatencies(pushIntervalMs: number, seconds: number): Promise<number[]> {
  const system = new ObservedSystem({ nodes: NO_NODES, pollIntervalMs: 3_600_000 });
  const server = new ObserverServer({ system, nodes: NO_NODES, auth: ObserverAuth.loopback(), title: 'bench', audit: () => {}, pushIntervalMs });
  await system.start();
  const { port } = await server.listen(0, '127.0.0.1');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#connection.up').waitFor();
    // 10 events every 10 ms: 1,000 a second.
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let i = 0; i < 10; i++) system.record({ node: 'bench', address: `bench/a-${sent % 100}`, kind: 'action', detail: `#${sent++}` });
        if (sent >= seconds * 1_000) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    // These functions run in the page (serialised there): `window.__observer` is what observer.js records.
    await page.waitForFunction((count) => (globalThis as unknown as PageProbe).__observer.latencies.length >= count, sent, { timeout: 30_000 });
    return await page.evaluate(() => (globalThis as unknown as PageProbe).__observer.latencies);
  } finally {
    await browser.close();
    await server.close();
    await system.close();
  }
}

/** What observer.js records in the page for measurements. */
interface PageProbe {
  __observer: { latencies: number[] };
}

async function latency(quick: boolean): Promise<Figure[]> {
  const seconds = quick ? 3 : 10;
  const batched = await domLatencies(PUSH_INTERVAL_MS, seconds);
  const immediate = await domLatencies(0, seconds);
  return [
    figure(`event→DOM p50 at 1,000 events/s (push every ${PUSH_INTERVAL_MS} ms)`, percentile(batched, 50), 'ms', 'pushed at once', percentile(immediate, 50), false),
    figure(`event→DOM p99 at 1,000 events/s (push every ${PUSH_INTERVAL_MS} ms)`, percentile(batched, 99), 'ms', 'pushed at once', percentile(immediate, 99), false),
  ];
}

const bench: Benchmark = async ({ quick }) => [...(await throughput(quick)), ...(await latency(quick))];

export default bench;
