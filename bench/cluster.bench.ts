/**
 * `npm run bench -- cluster`: airlock on the three-node test cluster (`npm run cluster -- start`,
 * started here if it is not running), producer on node 1, consumer on node 2.
 *
 * - tell→handle throughput through a quorum queue, beside the same through a classic queue on the
 *   same cluster, and beside raw amqplib on a quorum queue (confirm channel, msgpack `{ seq }`, ack
 *   after decoding), interleaved after a warm-up, medians.
 * - the stall when the queue leader's node is killed under a steady load (~500 tells a second):
 *   the longest gap between two handlings around the kill, median of 5 kills (each node restarted
 *   after), beside the longest gap over as long a window of the same load without a fault.
 */
import amqp from 'amqplib';
import { Packr } from 'msgpackr';
import { z } from 'zod';
import { connectRabbit, createSystem, defineActor, defineProtocol, type ActorSystem, type RabbitTransport } from '../internal.ts';
import { TestCluster } from '../scripts/cluster/index.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';
import { sendThroughput, windowed } from './windowed.ts';

const cluster = new TestCluster();
const PREFETCH = 64;
/** Unconfirmed sends kept in flight by the producer, as in the rabbitmq bench. */
/** How long each kill is left before the node is restarted: longer than any failover seen (< 1 s). */
const FAULT_MS = 2_000;
const packr = new Packr({ useRecords: false });

const Bench = defineProtocol('bench', { job: { body: z.object({ seq: z.number().int() }) } });
const namespace = (label: string) => `airlock-bench-cluster-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Pair {
  producer: { system: ActorSystem; transport: RabbitTransport };
  consumer: { system: ActorSystem; transport: RabbitTransport };
  onJob: (seq: number) => void;
  close(): Promise<void>;
}

/** A consumer on node 2 and a producer on node 1 (each with the others behind, for failover). */
async function airlockPair(label: string, quorum: boolean, seedFrom?: number): Promise<Pair> {
  const ns = namespace(label);
  const [n1, n2, n3] = cluster.urls;
  const options = { namespace: ns, prefetch: PREFETCH, quorum };
  if (seedFrom !== undefined) {
    // Declared first from that node, so the quorum queue's leader starts there.
    const seeder = await connectRabbit({ ...options, urls: [cluster.urls[seedFrom]!] });
    const seederSystem = createSystem({ name: 'seeder', transport: seeder });
    await seederSystem.ref('sink', Bench).tell('job', { seq: -1 });
    await seederSystem.stop();
    await seeder.close();
  }
  const consumerTransport = await connectRabbit({ ...options, urls: [n2!, n1!, n3!] });
  const consumerSystem = createSystem({ name: 'consumer', transport: consumerTransport });
  const pair = { onJob: () => {} } as unknown as Pair;
  consumerSystem.spawn(defineActor({ protocol: Bench, setup: () => ({ job: ({ seq }) => pair.onJob(seq) }) }), 'sink');
  await consumerTransport.ready();
  const producerTransport = await connectRabbit({ ...options, urls: [n1!, n3!, n2!] });
  const producerSystem = createSystem({ name: 'producer', transport: producerTransport });
  pair.consumer = { system: consumerSystem, transport: consumerTransport };
  pair.producer = { system: producerSystem, transport: producerTransport };
  pair.close = async () => {
    await producerSystem.stop({ drainTimeoutMs: 1_000 });
    await producerTransport.close();
    await consumerSystem.stop({ drainTimeoutMs: 1_000 });
    await consumerTransport.close();
    await deleteNamespace(ns, [consumerTransport.queueOf('sink'), consumerTransport.deadLetterQueue]);
  };
  return pair;
}

async function deleteNamespace(ns: string, queues: string[]): Promise<void> {
  const connection = await amqp.connect(cluster.urls[0]!);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  await channel.deleteExchange(ns);
  await connection.close();
}

async function airlockThroughput(pair: Pair, count: number): Promise<number> {
  const sink = pair.producer.system.ref('sink', Bench);
  return sendThroughput(pair, count, (seq) => sink.tell('job', { seq }));
}

/** Raw amqplib on a quorum queue: the same producer and consumer nodes, confirms and acks. */
async function rawThroughput(count: number): Promise<number> {
  const queue = `${namespace('raw')}:sink`;
  const consumerConnection = await amqp.connect(cluster.urls[1]!);
  const producerConnection = await amqp.connect(cluster.urls[0]!);
  const consumer = await consumerConnection.createChannel();
  const producer = await producerConnection.createConfirmChannel();
  await consumer.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-quorum-initial-group-size': 3 } });
  await consumer.prefetch(PREFETCH);
  let handled = 0;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.consume(queue, (message) => {
    if (!message) return;
    packr.unpack(message.content);
    consumer.ack(message);
    if (++handled === count) resolveDone();
  });
  const start = performance.now();
  await windowed(count, (seq) => new Promise((resolve, reject) => producer.sendToQueue(queue, packr.pack({ seq }), { persistent: true }, (error) => (error ? reject(error) : resolve()))));
  await done;
  const rate = count / ((performance.now() - start) / 1_000);
  await producer.deleteQueue(queue);
  await producerConnection.close();
  await consumerConnection.close();
  return rate;
}

/** The longest gap (ms) between consecutive handlings that spans a moment of [from, to]. */
function longestGap(times: number[], from: number, to: number): number {
  let longest = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! >= from && times[i - 1]! <= to) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}

/** One kill of the queue leader's node under load: the stall, and the longest gap of as long a window before it. */
async function leaderKill(): Promise<{ stall: number; calm: number }> {
  // The leader on node 3: neither the producer's node nor the consumer's.
  const pair = await airlockPair('kill', true, 2);
  const times: number[] = [];
  pair.onJob = () => times.push(performance.now());
  const sink = pair.producer.system.ref('sink', Bench);
  let seq = 0;
  const ticker = setInterval(() => {
    for (let i = 0; i < 5; i++) void sink.tell('job', { seq: seq++ });
  }, 10);
  try {
    await sleep(FAULT_MS + 500);
    const calmFrom = performance.now() - FAULT_MS;
    const calm = longestGap(times, calmFrom, calmFrom + FAULT_MS);
    const leader = await cluster.leaderOf(pair.consumer.transport.queueOf('sink'));
    if (!leader) throw new Error('no quorum leader found');
    const killedAt = performance.now();
    await cluster.kill(leader.name);
    await sleep(FAULT_MS);
    const stall = longestGap(times, killedAt, killedAt + FAULT_MS);
    clearInterval(ticker);
    await cluster.restart(leader.name);
    return { stall, calm };
  } finally {
    clearInterval(ticker);
    await pair.close();
  }
}

const bench: Benchmark = async ({ quick }) => {
  await cluster.start();
  const count = quick ? 2_000 : 10_000;
  const runs = quick ? 1 : 3;
  const results = { quorum: [] as number[], classic: [] as number[], raw: [] as number[] };
  const quorumPair = await airlockPair('quorum', true);
  const classicPair = await airlockPair('classic', false);
  try {
    // Warm-up, then interleaved runs.
    await airlockThroughput(quorumPair, count / 5);
    await airlockThroughput(classicPair, count / 5);
    await rawThroughput(count / 5);
    for (let run = 0; run < runs; run++) {
      results.quorum.push(await airlockThroughput(quorumPair, count));
      results.classic.push(await airlockThroughput(classicPair, count));
      results.raw.push(await rawThroughput(count));
    }
  } finally {
    await quorumPair.close();
    await classicPair.close();
  }
  const kills = [];
  for (let run = 0; run < (quick ? 1 : 5); run++) kills.push(await leaderKill());
  const figures: Figure[] = [
    figure('tell→handle, quorum queue (3 replicas)', median(results.quorum), 'msg/s', 'classic queue, same cluster', median(results.classic), true),
    figure('tell→handle, quorum queue (3 replicas)', median(results.quorum), 'msg/s', 'raw amqplib, quorum queue', median(results.raw), true),
    figure(
      `stall when the queue leader's node is killed (median of ${kills.length})`,
      median(kills.map((kill) => kill.stall)),
      'ms',
      'longest gap without a fault',
      median(kills.map((kill) => kill.calm)),
      false,
    ),
  ];
  console.log(`leader kills: stalls ${kills.map((kill) => Math.round(kill.stall)).join(', ')} ms`);
  return figures;
};

export default bench;
