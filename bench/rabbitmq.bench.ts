/**
 * `npm run bench -- rabbitmq`: airlock over RabbitMQ beside raw amqplib doing the same work in the
 * same run, interleaved (raw, airlock, airlock, raw, ...) after a warm-up, medians.
 *
 * - tell→handle throughput: persistent messages, publisher confirms, manual ack after the
 *   handler, prefetch 64, up to WINDOW unconfirmed sends at once, separate producer and consumer
 *   connections; airlock adds its envelope codec, protocol validation and the dedupe window.
 *   Raw amqplib msgpack-encodes `{ seq }`, publishes on a confirm channel and acks after decoding.
 * - ask round trip p50/p99, one ask at a time, persistent and transient (`delivery: 'transient'`) asks: raw amqplib is
 *   the classic RPC (request on a confirm channel with replyTo + correlationId, the responder acks
 *   after publishing the reply to the asker's exclusive queue).
 * Needs the broker at AIRLOCK_RABBIT_URL (default amqp://guest:guest@127.0.0.1:5672).
 */
import amqp, { type ConfirmChannel } from 'amqplib';
import { Packr } from 'msgpackr';
import { z } from 'zod';
import { connectRabbit, createSystem, defineActor, defineProtocol, type ActorSystem, type Delivery, type RabbitTransport } from '../internal.ts';
import { figure, median, percentile, type Benchmark, type Figure } from './figures.ts';
import { sendThroughput } from './windowed.ts';

const URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PREFETCH = 64;
/** Unconfirmed sends kept in flight by the producer. */
const packr = new Packr({ useRecords: false });

const Bench = defineProtocol('bench', {
  job: { body: z.object({ seq: z.number().int() }) },
  ping: { body: z.object({ seq: z.number().int() }), reply: z.object({ seq: z.number().int() }) },
});

const namespace = (label: string) => `airlock-bench-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

async function deleteNamespace(ns: string, queues: string[]): Promise<void> {
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  await channel.deleteExchange(ns);
  await connection.close();
}

// ---- airlock ---------------------------------------------------------------------------------

interface AirlockPair {
  consumer: { system: ActorSystem; transport: RabbitTransport };
  producer: { system: ActorSystem; transport: RabbitTransport };
  onJob: (seq: number) => void;
  close(): Promise<void>;
}

async function airlockPair(label: string, persistent: boolean): Promise<AirlockPair> {
  const ns = namespace(label);
  const options = { url: URL, namespace: ns, prefetch: PREFETCH, persistent };
  const consumerTransport = await connectRabbit(options);
  const consumerSystem = createSystem({ name: 'consumer', transport: consumerTransport });
  const pair = { onJob: (_seq: number) => {} } as AirlockPair;
  // The raw baseline's queue is unbounded; give the sink's queue (x-max-length) room for the whole run.
  const mailbox = { capacity: 1_000_000 };
  consumerSystem.spawn(defineActor({ protocol: Bench, mailbox, setup: () => ({ job: ({ seq }) => pair.onJob(seq), ping: ({ seq }) => ({ seq }) }) }), 'sink');
  await consumerTransport.ready();
  const producerTransport = await connectRabbit(options);
  const producerSystem = createSystem({ name: 'producer', transport: producerTransport });
  pair.consumer = { system: consumerSystem, transport: consumerTransport };
  pair.producer = { system: producerSystem, transport: producerTransport };
  pair.close = async () => {
    for (const { system, transport } of [producerSystem, consumerSystem].map((system, i) => ({ system, transport: [producerTransport, consumerTransport][i] }))) {
      await system.stop({ drainTimeoutMs: 1_000 });
      await transport.close();
    }
    await deleteNamespace(ns, [consumerTransport.queueOf('sink'), consumerTransport.deadLetterQueue]);
  };
  return pair;
}

async function airlockThroughput(pair: AirlockPair, count: number): Promise<number> {
  const sink = pair.producer.system.ref('sink', Bench);
  return sendThroughput(pair, count, (seq) => sink.tell('job', { seq }));
}

async function airlockAsks(pair: AirlockPair, count: number, delivery: Delivery): Promise<number[]> {
  const sink = pair.producer.system.ref('sink', Bench);
  const times: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    const start = performance.now();
    await sink.ask('ping', { seq }, { delivery });
    times.push(performance.now() - start);
  }
  return times;
}

// ---- raw amqplib ----------------------------------------------------------------------------

interface RawPair {
  producer: ConfirmChannel;
  consumer: ConfirmChannel;
  queue: string;
  replyQueue: string;
  onJob: (seq: number) => void;
  onReply: (correlationId: string) => void;
  close(): Promise<void>;
}

async function rawPair(label: string): Promise<RawPair> {
  const ns = namespace(label);
  const queue = `${ns}:sink`;
  const consumerConnection = await amqp.connect(URL);
  const producerConnection = await amqp.connect(URL);
  const consumer = await consumerConnection.createConfirmChannel();
  const producer = await producerConnection.createConfirmChannel();
  await consumer.assertExchange(ns, 'direct', { durable: true });
  await consumer.assertQueue(queue, { durable: true });
  await consumer.bindQueue(queue, ns, 'sink');
  await consumer.prefetch(PREFETCH);
  const { queue: replyQueue } = await producer.assertQueue('', { exclusive: true, autoDelete: true });
  const pair: RawPair = { producer, consumer, queue, replyQueue, onJob: () => {}, onReply: () => {}, close: async () => {} };
  await consumer.consume(queue, (message) => {
    if (!message) return;
    const { type, seq } = packr.unpack(message.content) as { type: string; seq: number };
    if (type === 'job') {
      pair.onJob(seq);
      return consumer.ack(message);
    }
    const reply = packr.pack({ seq });
    consumer.publish('', message.properties.replyTo, reply, { correlationId: message.properties.correlationId }, () => {});
    consumer.ack(message);
  });
  await producer.consume(replyQueue, (message) => message && pair.onReply(message.properties.correlationId), { noAck: true });
  pair.close = async () => {
    await producer.deleteQueue(queue);
    await producer.deleteExchange(ns);
    await producerConnection.close();
    await consumerConnection.close();
  };
  return pair;
}

function rawPublish(pair: RawPair, content: Buffer, options: amqp.Options.Publish): Promise<void> {
  return new Promise((resolve, reject) =>
    pair.producer.publish(pair.queue.slice(0, pair.queue.lastIndexOf(':')), 'sink', content, options, (error) => (error ? reject(error) : resolve())),
  );
}

async function rawThroughput(pair: RawPair, count: number): Promise<number> {
  return sendThroughput(pair, count, (seq) => rawPublish(pair, packr.pack({ type: 'job', seq }), { persistent: true }));
}

async function rawAsks(pair: RawPair, count: number, persistent: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    const correlationId = String(seq);
    const start = performance.now();
    const replied = new Promise<void>((resolve) => (pair.onReply = (id) => id === correlationId && resolve()));
    void rawPublish(pair, packr.pack({ type: 'ping', seq }), { persistent, replyTo: pair.replyQueue, correlationId });
    await replied;
    times.push(performance.now() - start);
  }
  return times;
}

// ---- the benchmark --------------------------------------------------------------------------

/** A warm-up of both, then `runs` interleaved pairs (raw first on even runs, airlock first on odd). */
async function interleaved<T>(runs: number, raw: () => Promise<T>, airlock: () => Promise<T>): Promise<{ raw: T[]; airlock: T[] }> {
  await raw();
  await airlock();
  const results = { raw: [] as T[], airlock: [] as T[] };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      results.raw.push(await raw());
      results.airlock.push(await airlock());
    } else {
      results.airlock.push(await airlock());
      results.raw.push(await raw());
    }
  }
  return results;
}

const bench: Benchmark = async ({ quick }) => {
  const runs = quick ? 3 : 5;
  const messages = quick ? 5_000 : 20_000;
  const asks = quick ? 300 : 1_000;
  const figures: Figure[] = [];

  const raw = await rawPair('raw');
  const durable = await airlockPair('durable', true);
  try {
    const throughput = await interleaved(runs, () => rawThroughput(raw, messages), () => airlockThroughput(durable, messages));
    figures.push(figure('tell→handle over RabbitMQ (persistent, confirms, ack, dedupe)', median(throughput.airlock), 'msg/s', 'raw amqplib', median(throughput.raw), true));

    // A transient ask (`delivery: 'transient'`) is the raw RPC's non-persistent request, still confirmed.
    for (const [label, delivery] of [['persistent', 'durable'], ['transient', 'transient']] as const) {
      const latency = await interleaved(runs, () => rawAsks(raw, asks, delivery === 'durable'), () => airlockAsks(durable, asks, delivery));
      const p = (times: number[][], q: number) => median(times.map((run) => percentile(run, q)));
      figures.push(figure(`ask round trip p50 (${label})`, p(latency.airlock, 50), 'ms', 'raw amqplib RPC', p(latency.raw, 50), false));
      figures.push(figure(`ask round trip p99 (${label})`, p(latency.airlock, 99), 'ms', 'raw amqplib RPC', p(latency.raw, 99), false));
    }
  } finally {
    await raw.close();
    await durable.close();
  }
  return figures;
};

export default bench;
