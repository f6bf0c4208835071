/**
 * `npm run bench -- metrics`: what a node pays for being watched. tell→handle throughput of a
 * plain actor (bursts of 10,000, each awaited until handled, as in `core`) on a node with 1,000
 * idle dynamic children, "watched" (its Prometheus registry scraped and a `stats` page of all its
 * actors read every 100 ms, more often than Prometheus or the observer would) vs the same node
 * unwatched (run without metrics), in the same process, interleaved, medians of 7.
 */
import { z } from 'zod';
import { actorChannel, child, ControlClient, defineActor, defineProtocol, defineTopology, dynamicSupervisor, run, supervisor, type RunningTopology } from '../internal.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';

const BURST = 10_000;
const IDLE_CHILDREN = 1_000;
const WATCH_EVERY_MS = 100;

const Counter = defineProtocol('bench.counter', { inc: { body: z.object({ n: z.number() }) } });

interface Sink {
  count: number;
  target: number;
  done: () => void;
}

function node(sink: Sink, watched: boolean): { running: RunningTopology; stop: () => Promise<void> } {
  const counter = defineActor({
    protocol: Counter,
    setup: () => ({
      inc: () => {
        if (++sink.count === sink.target) sink.done();
      },
    }),
  });
  const topology = defineTopology(watched ? 'watched' : 'unwatched', {
    n: supervisor({ children: [child('counter', counter), child('peers', dynamicSupervisor({ child: counter, maxChildren: IDLE_CHILDREN }))] }),
  });
  const running = run(topology, watched ? { control: true, metrics: true } : { control: true });
  const peers = running.supervisor('n/peers');
  for (let i = 0; i < IDLE_CHILDREN; i++) peers.startChild(`p${i}`);
  if (!watched) return { running, stop: () => running.stop() };
  const client = new ControlClient(actorChannel(running.system, 'n'));
  const registry = running.metrics('n')!;
  // The bench's own timer, not an actor's: it plays Prometheus and the observer from outside.
  const timer = setInterval(() => {
    void registry.metrics();
    void client.stats({ limit: 1_000 });
  }, WATCH_EVERY_MS);
  return { running, stop: () => (clearInterval(timer), running.stop()) };
}

async function rate(sink: Sink, running: RunningTopology, bursts: number): Promise<number> {
  const ref = running.ref('n/counter', Counter);
  const body = { n: 1 };
  const start = performance.now();
  for (let b = 0; b < bursts; b++) {
    sink.count = 0;
    sink.target = BURST;
    const done = new Promise<void>((resolve) => (sink.done = resolve));
    for (let i = 0; i < BURST; i++) void ref.tell('inc', body);
    await done;
  }
  return (bursts * BURST) / ((performance.now() - start) / 1000);
}

const metrics: Benchmark = async ({ quick }) => {
  const runs = quick ? 3 : 7;
  // Long enough per run that several watch rounds (each reads 1,002 actors) fall inside it.
  const bursts = quick ? 50 : 200;
  const sinks = { watched: { count: 0, target: 0, done: () => {} }, unwatched: { count: 0, target: 0, done: () => {} } };
  const watched = node(sinks.watched, true);
  const unwatched = node(sinks.unwatched, false);
  const ours: number[] = [];
  const base: number[] = [];
  await rate(sinks.unwatched, unwatched.running, bursts);
  await rate(sinks.watched, watched.running, bursts);
  for (let i = 0; i < runs; i++) {
    // Alternate who goes first, so neither always runs right after the other's garbage is collected.
    if (i % 2 === 0) {
      base.push(await rate(sinks.unwatched, unwatched.running, bursts));
      ours.push(await rate(sinks.watched, watched.running, bursts));
    } else {
      ours.push(await rate(sinks.watched, watched.running, bursts));
      base.push(await rate(sinks.unwatched, unwatched.running, bursts));
    }
  }
  await watched.stop();
  await unwatched.stop();
  const figures: Figure[] = [
    figure(`tell→handle, node scraped + stats every ${WATCH_EVERY_MS} ms (${IDLE_CHILDREN} idle actors)`, median(ours), 'msg/s', 'the same node unwatched', median(base), true),
  ];
  return figures;
};

export default metrics;
