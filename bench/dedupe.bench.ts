/**
 * `npm run bench -- dedupe`: what a durable dedupe store costs per message, beside the in-memory
 * window and a bare `pg` insert, in the same run (interleaved, medians).
 *
 * - tell→handle over RabbitMQ (persistent, confirms, ack after the handler, prefetch 64), the
 *   handler writing one row in PostgreSQL per job:
 *     window + bare insert      the default in-memory window; the row inserted at once (autocommit)
 *     pg store, same-transaction the row and the handled id in one transaction, committed before the ack
 *     pg store, insert-then-handle the handled id inserted first (autocommit), then the row (autocommit)
 *   and the window with a handler that writes nothing, for scale.
 * - the store alone, one message at a time, no broker: claim + commit of `PgDedupeStore` (same
 *   transaction, with the handler's row in it) against a bare autocommit INSERT of the row.
 * PostgreSQL at 127.0.0.1:5432 (database test, user postgres) and the broker at AIRLOCK_RABBIT_URL.
 * Commits flush the WAL (synchronous_commit on, the server's default): that flush is most of a commit here.
 */
import amqp from 'amqplib';
import pg from 'pg';
import { z } from 'zod';
import { connectRabbit, createSystem, defineActor, defineProtocol, type DedupeStore, type Envelope } from '../internal.ts';
import { PgDedupeStore, type DedupeMode } from '../transports/postgres/index.ts';
import { figure, median, type Benchmark } from './figures.ts';
import { windowed } from './windowed.ts';

const URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PG = { host: process.env.AIRLOCK_PG_HOST ?? '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const PREFETCH = 64;
const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

const Bench = defineProtocol('bench', { job: { body: z.object({ seq: z.number().int() }) } });

type Variant = 'window, no write' | 'window + bare insert' | DedupeMode;

/** Tells `count` jobs to a sink whose handler writes as `variant` says; messages a second, send of the first to handling of the last. */
async function throughput(variant: Variant, count: number, pool: pg.Pool, run: number): Promise<number> {
  const ns = `airlock-bench-dedupe-${tag}-${run}-${variant.replace(/\W+/g, '-')}`;
  const rows = `airlock_bench_${tag}_rows`;
  const store = variant === 'same-transaction' || variant === 'insert-then-handle' ? new PgDedupeStore({ pool, table: `airlock_bench_${tag}_handled`, mode: variant, pruneEveryMs: 0 }) : undefined;
  const dedupe = store ? (): DedupeStore => store : undefined;
  const consumer = await connectRabbit({ url: URL, namespace: ns, prefetch: PREFETCH, dedupe });
  const producer = await connectRabbit({ url: URL, namespace: ns });
  const consumerSystem = createSystem({ name: 'consumer', transport: consumer });
  const producerSystem = createSystem({ name: 'producer', transport: producer });
  let handled = 0;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const insert = `INSERT INTO ${rows} (id, seq) VALUES ($1, $2)`;
  const write = async (envelope: Envelope, seq: number): Promise<void> => {
    if (variant === 'window, no write') return;
    await (variant === 'same-transaction' ? store!.transaction(envelope).query(insert, [envelope.id, seq]) : pool.query(insert, [envelope.id, seq]));
  };
  consumerSystem.spawn(
    defineActor({
      protocol: Bench,
      mailbox: { capacity: 1_000_000 },
      setup: (context) => ({
        job: async ({ seq }) => {
          await write(context.envelope!, seq);
          if (++handled === count) finished();
        },
      }),
    }),
    'sink',
  );
  await consumer.ready();
  const sink = producerSystem.ref('sink', Bench);
  const start = performance.now();
  await windowed(count, (seq) => sink.tell('job', { seq }));
  await done;
  const perSecond = count / ((performance.now() - start) / 1_000);
  await producerSystem.stop({ drainTimeoutMs: 1_000 });
  await consumerSystem.stop({ drainTimeoutMs: 1_000 });
  const queues = [consumer.queueOf('sink'), consumer.deadLetterQueue];
  await producer.close();
  await consumer.close();
  store?.close();
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  await channel.deleteExchange(ns);
  await connection.close();
  return perSecond;
}

/** Microseconds per message, one at a time: claim + the row in its transaction + commit, or the bare insert alone. */
async function storeAlone(kind: 'store' | 'bare', count: number, pool: pg.Pool, run: number): Promise<number> {
  const rows = `airlock_bench_${tag}_rows`;
  const store = new PgDedupeStore({ pool, table: `airlock_bench_${tag}_handled`, pruneEveryMs: 0 });
  const insert = `INSERT INTO ${rows} (id, seq) VALUES ($1, $2)`;
  await store.ready();
  const start = performance.now();
  for (let seq = 0; seq < count; seq++) {
    const envelope: Envelope = { id: `alone-${run}-${kind}-${seq}`, to: 'sink', type: 'job', body: { seq }, attempt: 0 };
    if (kind === 'bare') {
      await pool.query(insert, [envelope.id, seq]);
      continue;
    }
    const claim = await store.claim('sink', envelope);
    await store.transaction(envelope).query(insert, [envelope.id, seq]);
    await claim!.commit();
  }
  return ((performance.now() - start) * 1_000) / count;
}

const bench: Benchmark = async ({ quick }) => {
  const runs = 3;
  const messages = quick ? 600 : 2_000;
  const alone = quick ? 300 : 1_000;
  const pool = new pg.Pool({ ...PG, max: 8 });
  pool.on('error', () => {});
  await pool.query(`CREATE TABLE airlock_bench_${tag}_rows (id text NOT NULL, seq integer NOT NULL)`);
  const variants: Variant[] = ['window, no write', 'window + bare insert', 'same-transaction', 'insert-then-handle'];
  const rates = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
  const micros = { store: [] as number[], bare: [] as number[] };
  try {
    await throughput('same-transaction', 200, pool, -1); // warm-up: JIT, connections, the table
    for (let run = 0; run < runs; run++) {
      // Interleaved, the order turned each run, so a busy moment of the machine does not fall on one variant.
      for (const variant of run % 2 ? [...variants].reverse() : variants) rates.get(variant)!.push(await throughput(variant, messages, pool, run));
      for (const kind of run % 2 ? (['bare', 'store'] as const) : (['store', 'bare'] as const)) micros[kind].push(await storeAlone(kind, alone, pool, run));
    }
  } finally {
    await pool.query(`DROP TABLE IF EXISTS airlock_bench_${tag}_rows`);
    await pool.query(`DROP TABLE IF EXISTS airlock_bench_${tag}_handled`);
    await pool.end();
  }
  const rate = (variant: Variant) => median(rates.get(variant)!);
  return [
    figure('tell→handle, pg store same-transaction (row + id, one commit)', rate('same-transaction'), 'msg/s', 'window + bare insert', rate('window + bare insert'), true),
    figure('tell→handle, pg store insert-then-handle (id, then row)', rate('insert-then-handle'), 'msg/s', 'window + bare insert', rate('window + bare insert'), true),
    figure('tell→handle, window + bare insert', rate('window + bare insert'), 'msg/s', 'window, no write', rate('window, no write'), true),
    figure('store alone: claim + row + commit, per message', median(micros.store), 'µs', 'bare INSERT (autocommit)', median(micros.bare), false),
  ];
};

export default bench;
