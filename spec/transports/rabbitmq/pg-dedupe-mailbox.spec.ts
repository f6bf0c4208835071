import assert from 'node:assert/strict';
import type pg from 'pg';
import { child, createSystem, defineActor, defineTopology, run, supervisor, type Envelope, type SystemEvent } from '../../../internal.ts';
import { DedupeStoreUnavailableError, PgDedupeStore } from '../../../transports/postgres/index.ts';
import { connectRabbit } from '../../../transports/rabbitmq/index.ts';
import { startCuttableProxy, type CuttableProxy } from '../../../testing/index.ts';
import { dropTables, newPool, PG_CONFIG, requirePostgres, uniqueTable } from '../postgres/database.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace, Work } from './broker.ts';

const WORKER = 'db/work';

/** Polls `check` until it holds; real deadline, generous for a busy 2-core machine. */
async function until(check: () => boolean | Promise<boolean>, what: () => string, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A consumer node whose PostgreSQL is reachable only through a proxy the spec cuts, and whose
 * handler writes a row per job in the store's transaction (after `beforeWrite`, if given); a
 * producer telling `tells` jobs, each confirmed by the broker.
 */
async function scene(namespace: string, jobs: string, tells: number, beforeWrite?: (seq: number) => Promise<void>) {
  const proxy = await startCuttableProxy({ port: PG_CONFIG.port });
  const pool = newPool({ port: proxy.port, connectionTimeoutMillis: 2_000 });
  const errors: DedupeStoreUnavailableError[] = [];
  const store = new PgDedupeStore({ pool, table: `${jobs}_handled`, pruneEveryMs: 0, onError: (error) => errors.push(error) });
  const worker = defineActor({
    protocol: Work,
    setup: (context) => ({
      job: async ({ seq }) => {
        await beforeWrite?.(seq);
        await store.transaction(context.envelope).query(`INSERT INTO ${jobs} (id, seq) VALUES ($1, $2)`, [context.envelope!.id, seq]);
      },
      crash: () => {},
      echo: ({ text }) => ({ text, pid: process.pid }),
    }),
  });
  // Claims retried every 20–200 ms while the database is away (the transport's reconnect backoff).
  const consumer = await connectRabbit({ url: BROKER_URL, namespace, prefetch: 50, dedupe: () => store, reconnect: { minMs: 20, maxMs: 200 } });
  const events: SystemEvent[] = [];
  const node = run(defineTopology('loss', { db: supervisor({ children: [child('work', worker)] }) }), { node: 'db', transport: consumer, onEvent: (event) => events.push(event) });
  const producer = await connectRabbit({ url: BROKER_URL, namespace });
  const system = createSystem({ name: 'producer', transport: producer });
  await consumer.ready();
  const sending = Promise.all(Array.from({ length: tells }, (_, seq) => system.ref(WORKER, Work).tell('job', { seq })));
  return {
    proxy: proxy as CuttableProxy,
    consumer,
    producer,
    errors,
    events,
    sending,
    async close() {
      await node.stop();
      await system.stop();
      await producer.close();
      await consumer.close();
      await pool.end();
      await proxy.close();
    },
  };
}

describe('RabbitMQ mailbox with the PostgreSQL dedupe store', function () {
  // A quiet run takes ~2 s a test; the deadlines are for a busy shared machine.
  this.timeout(60_000);
  const namespace = uniqueNamespace('pg-loss');
  const prefix = uniqueTable('loss');
  let direct: pg.Pool;
  let tables = 0;

  /** A jobs table of its own, with no unique key: a job handled twice shows as two rows. */
  async function jobsTable(): Promise<{ jobs: string; rows: () => Promise<number>; perJob: () => Promise<number[]> }> {
    const jobs = `${prefix}_${++tables}`;
    await direct.query(`CREATE TABLE ${jobs} (id text NOT NULL, seq integer NOT NULL)`);
    return {
      jobs,
      rows: async () => Number((await direct.query(`SELECT count(*) AS n FROM ${jobs}`)).rows[0].n),
      perJob: async () => (await direct.query<{ n: string }>(`SELECT count(*) AS n FROM ${jobs} GROUP BY seq ORDER BY seq`)).rows.map((row) => Number(row.n)),
    };
  }

  before(async () => {
    await requireBroker();
    await requirePostgres();
    direct = newPool();
  });
  after(async () => {
    await direct.end();
    await dropTables(prefix);
    await cleanup(namespace, [WORKER]);
  });

  it('drops a copy of a handled message (a publisher resending one whose confirm it never saw)', async () => {
    const { jobs, rows, perJob } = await jobsTable();
    const run = await scene(namespace, jobs, 0);
    try {
      const job = (id: string, seq: number): Envelope => ({ id, to: WORKER, from: 'spec/sender', type: 'job', body: { seq }, attempt: 0 });
      const route = run.producer.route(WORKER)!;
      await route.send(job('copy-1-unique-id', 1));
      await until(async () => (await rows()) === 1, () => 'the first job written');
      await route.send(job('copy-1-unique-id', 1));
      await route.send(job('copy-2-unique-id', 2));
      await until(async () => (await rows()) === 2, () => 'the job after the copy written');
      await until(() => run.consumer.stats.duplicates === 1, () => `the copy counted as a duplicate (${run.consumer.stats.duplicates})`);
      assert.deepEqual(await perJob(), [1, 1]);
    } finally {
      await run.close();
    }
  });

  it('the database lost mid-stream: every confirmed tell handled exactly once, nothing handled while the database is away, nothing dead-lettered', async () => {
    const TELLS = 300;
    const { jobs, rows, perJob } = await jobsTable();
    const run = await scene(namespace, jobs, TELLS);
    try {
      let written = 0;
      await until(async () => (written = await rows()) >= TELLS / 3, () => `a third of the jobs written (${written})`);
      run.proxy.cut();
      await until(() => run.consumer.stats.dedupeUnavailable >= 3, () => `three failed claims (${run.consumer.stats.dedupeUnavailable})`);
      const duringLoss = await rows();
      await until(() => run.consumer.stats.dedupeUnavailable >= 6, () => `six failed claims (${run.consumer.stats.dedupeUnavailable})`);
      assert.equal(await rows(), duringLoss, 'nothing handled while the database is away');
      run.proxy.restore();

      await run.sending;
      await until(async () => (written = await rows()) >= TELLS, () => `every job written (${written} of ${TELLS})`);
      assert.deepEqual(await perJob(), Array(TELLS).fill(1), 'every confirmed tell handled, none twice');
      assert.deepEqual(run.events.filter((event) => event.kind === 'dead-lettered'), [], 'nothing dead-lettered');
      assert.ok(run.errors.length > 0 && run.errors.every((error) => error instanceof DedupeStoreUnavailableError), 'each failure told, typed');
      assert.equal(Number((await direct.query(`SELECT count(*) AS n FROM ${jobs}_handled`)).rows[0].n), TELLS, 'one handled id per job');
    } finally {
      await run.close();
    }
  });

  it("the database lost under a handler: not dead-lettered, its message is handled again once the database is back", async () => {
    const TELLS = 20;
    const { jobs, rows, perJob } = await jobsTable();
    let holding: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let reached = false;
    // Job 5, the first time, waits in its handler (its transaction open) until the spec has cut the database.
    const run = await scene(namespace, jobs, TELLS, async (seq) => {
      if (seq !== 5 || reached) return;
      reached = true;
      await held;
    });
    try {
      await until(() => reached, () => 'job 5 in its handler');
      run.proxy.cut();
      holding!();
      await until(() => run.events.some((event) => event.kind === 'restarted'), () => 'the worker restarted after its handler failed');
      run.proxy.restore();
      await run.sending;
      let written = 0;
      await until(async () => (written = await rows()) >= TELLS, () => `every job written (${written} of ${TELLS})`);
      assert.deepEqual(await perJob(), Array(TELLS).fill(1), 'every confirmed tell handled, none twice');
      assert.deepEqual(run.events.filter((event) => event.kind === 'dead-lettered'), [], 'nothing dead-lettered');
      const failed = run.events.find((event) => event.kind === 'failed');
      assert.ok(failed && 'error' in failed && /Connection terminated|ECONNRESET|not queryable/.test(String(failed.error)), `failed of the lost connection: ${String(failed && 'error' in failed && failed.error)}`);
    } finally {
      await run.close();
    }
  });
});
