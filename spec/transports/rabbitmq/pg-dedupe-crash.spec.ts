import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createSystem } from '../../../internal.ts';
import { connectRabbit } from '../../../transports/rabbitmq/index.ts';
import { dropTables, newPool, requirePostgres, uniqueTable } from '../postgres/database.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace, Work } from './broker.ts';

const CONSUMER = fileURLToPath(new URL('./fixtures/pg-consumer.ts', import.meta.url));
const TELLS = 1_000;

interface Consumer {
  child: ChildProcess;
  exited: Promise<number | string | null>;
}

/** Starts a consumer child; resolves once it consumes. */
async function startConsumer(namespace: string, prefix: string, kind: 'pg' | 'memory'): Promise<Consumer> {
  const child = fork(CONSUMER, [namespace, prefix, kind], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((how) => reject(new Error(`consumer exited (${String(how)}) before it was ready`)));
  });
  return { child, exited };
}

interface Outcome {
  /** Rows written per job (by seq): 1 is handled once. */
  rowsPerJob: Map<number, number>;
  /** Rows beyond one per job. */
  duplicates: number;
}

/**
 * Tells `TELLS` jobs (each confirmed by the broker) to a consumer child that writes a row per job
 * in PostgreSQL, `kill -9`s it `kills` times mid-stream (each time once another share of the
 * jobs is written), starts it again each time, and returns how many rows each job got.
 */
async function killRepeatedly(kind: 'pg' | 'memory', kills: number, pool: pg.Pool): Promise<Outcome> {
  const namespace = uniqueNamespace(`pg-kill-${kind}`);
  const prefix = uniqueTable(`kill_${kind}`);
  await pool.query(`CREATE TABLE ${prefix}_jobs (id text NOT NULL, seq integer NOT NULL, pid integer NOT NULL)`);
  const rows = async () => Number((await pool.query(`SELECT count(*) AS n FROM ${prefix}_jobs`)).rows[0].n);
  const distinct = async () => Number((await pool.query(`SELECT count(DISTINCT id) AS n FROM ${prefix}_jobs`)).rows[0].n);
  const consumers: Consumer[] = [];
  const transport = await connectRabbit({ url: BROKER_URL, namespace });
  const system = createSystem({ name: 'producer', transport });
  try {
    consumers.push(await startConsumer(namespace, prefix, kind));
    const work = system.ref('work', Work);
    const sending = Promise.all(Array.from({ length: TELLS }, (_, seq) => work.tell('job', { seq })));
    for (let kill = 1; kill <= kills; kill++) {
      const share = Math.round((kill * TELLS) / (kills + 1));
      let written = 0;
      await until(async () => (written = await rows()) >= share, () => `${share} rows before kill ${kill} (${written} so far)`);
      const victim = consumers.at(-1)!;
      victim.child.kill('SIGKILL');
      assert.equal(await victim.exited, 'SIGKILL');
      consumers.push(await startConsumer(namespace, prefix, kind));
    }
    await sending; // every tell confirmed by the broker
    let seen = 0;
    await until(async () => (seen = await distinct()) === TELLS, () => `every job written (${seen} of ${TELLS})`);
    const last = consumers.at(-1)!;
    last.child.send('stop');
    assert.equal(await last.exited, 0);
    const counted = await pool.query<{ seq: number; n: string }>(`SELECT seq, count(*) AS n FROM ${prefix}_jobs GROUP BY seq`);
    const rowsPerJob = new Map(counted.rows.map((row) => [row.seq, Number(row.n)]));
    return { rowsPerJob, duplicates: (await rows()) - TELLS };
  } finally {
    for (const consumer of consumers) consumer.child.kill('SIGKILL');
    await system.stop();
    await transport.close();
    await cleanup(namespace, ['work']);
    await dropTables(prefix);
  }
}

/** Polls `check` (a database query) until it holds; real deadline, generous for a busy 2-core machine. */
async function until(check: () => Promise<boolean>, what: () => string, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RabbitMQ + PostgreSQL dedupe store: kill -9 of the consumer, repeatedly', function () {
  // Six child processes (~1–2 s each to start when quiet, up to ~6 s on a loaded machine); the two
  // scenarios run side by side, in their own namespaces and tables, so their starts overlap.
  this.timeout(90_000);
  let pool: pg.Pool;
  let withStore: Outcome;
  let withWindow: Outcome;

  before(async () => {
    await requireBroker();
    await requirePostgres();
    pool = newPool();
    // Settled both before either failure is reported, so each cleans up its children, queues and tables.
    const [store, window] = await Promise.allSettled([killRepeatedly('pg', 2, pool), killRepeatedly('memory', 2, pool)]);
    if (store.status === 'rejected') throw store.reason;
    if (window.status === 'rejected') throw window.reason;
    [withStore, withWindow] = [store.value, window.value];
  });
  after(() => pool?.end());

  it('with the PostgreSQL store, each confirmed tell is handled exactly once (one row per job)', () => {
    assert.equal(withStore.rowsPerJob.size, TELLS, 'every confirmed tell handled');
    assert.deepEqual([...withStore.rowsPerJob.values()].filter((n) => n !== 1), [], 'none handled twice');
    assert.equal(withStore.duplicates, 0);
  });

  it('with the in-memory window alone, the same kills leave jobs handled twice', () => {
    assert.equal(withWindow.rowsPerJob.size, TELLS, 'every confirmed tell handled');
    assert.ok(withWindow.duplicates > 0, 'some handled twice across the kills');
  });
});
