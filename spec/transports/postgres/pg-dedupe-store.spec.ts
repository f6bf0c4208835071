import assert from 'node:assert/strict';
import type pg from 'pg';
import { VirtualClock, type Envelope } from '../../../internal.ts';
import { isConnectionLoss } from '../../../transports/postgres/connection-loss.ts';
import { DedupeStoreUnavailableError, InvalidDedupeTableError, NoDedupeTransactionError, PgDedupeStore } from '../../../transports/postgres/index.ts';
import { startCuttableProxy } from '../../../testing/index.ts';
import { dropTables, newPool, PG_CONFIG, requirePostgres, uniqueTable } from './database.ts';

const ADDRESS = 'app/work';
let sequence = 0;
const envelope = (id = `envelope-${++sequence}`): Envelope => ({ id, to: ADDRESS, type: 'job', body: {}, attempt: 0 });

describe('PgDedupeStore (real PostgreSQL)', function () {
  // Real round trips to a shared server on a busy machine; each test takes tens of ms when quiet.
  this.timeout(20_000);
  const prefix = uniqueTable('store');
  let pool: pg.Pool;
  let tables = 0;
  const table = () => `${prefix}_${++tables}`;
  const count = async (name: string, sql = 'count(*)') => Number((await pool.query(`SELECT ${sql} AS n FROM ${name}`)).rows[0].n);

  before(async () => {
    await requirePostgres();
    pool = newPool();
  });
  after(async () => {
    await pool.end();
    await dropTables(prefix);
  });

  it('creates its table and index idempotently, from many stores at once', async () => {
    const name = table();
    const stores = Array.from({ length: 4 }, () => new PgDedupeStore({ pool, table: name, pruneEveryMs: 0 }));
    await Promise.all(stores.map((store) => store.ready()));
    await new PgDedupeStore({ pool, table: name, pruneEveryMs: 0 }).ready();
    const { rows } = await pool.query('SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname', [name]);
    assert.deepEqual(rows.map((row) => row.indexname), [`${name}_handled_at`, `${name}_pkey`]);
  });

  it('claims an id once: after the commit, a second claim is a duplicate', async () => {
    const store = new PgDedupeStore({ pool, table: table(), pruneEveryMs: 0 });
    const job = envelope();
    const claim = await store.claim(ADDRESS, job);
    assert.ok(claim);
    await claim.commit();
    assert.equal(await store.claim(ADDRESS, { ...job }), undefined);
    // The key is the address and the id: the same id at another address is its own.
    const other = await store.claim('app/other', job);
    assert.ok(other);
    await other.release();
  });

  it("commits the handler's writes with the record, and rolls both back on release", async () => {
    const name = table();
    await pool.query(`CREATE TABLE ${name}_effects (id text)`);
    const store = new PgDedupeStore({ pool, table: name, pruneEveryMs: 0 });
    const kept = envelope();
    const claim = await store.claim(ADDRESS, kept);
    await store.transaction(kept).query(`INSERT INTO ${name}_effects VALUES ($1)`, [kept.id]);
    await claim!.commit();
    const dropped = envelope();
    const undone = await store.claim(ADDRESS, dropped);
    await store.transaction(dropped).query(`INSERT INTO ${name}_effects VALUES ($1)`, [dropped.id]);
    await undone!.release();
    assert.deepEqual((await pool.query(`SELECT id FROM ${name}_effects`)).rows, [{ id: kept.id }]);
    assert.equal(await count(name), 1);
    // Released, so claimable again.
    const again = await store.claim(ADDRESS, dropped);
    assert.ok(again);
    await again.release();
    assert.throws(() => store.transaction(dropped), NoDedupeTransactionError);
    assert.throws(() => store.transaction(undefined), NoDedupeTransactionError);
  });

  it('a claim of an id another process holds waits for its end: a duplicate if it commits, claimed if it rolls back', async () => {
    const name = table();
    const one = new PgDedupeStore({ pool, table: name, pruneEveryMs: 0 });
    const two = new PgDedupeStore({ pool, table: name, pruneEveryMs: 0 });
    const job = envelope();
    const first = await one.claim(ADDRESS, job);
    const waiting = two.claim(ADDRESS, { ...job });
    await first!.commit();
    assert.equal(await waiting, undefined);

    const other = envelope();
    const held = await one.claim(ADDRESS, other);
    const next = two.claim(ADDRESS, { ...other });
    await held!.release();
    const claimed = await next;
    assert.ok(claimed);
    await claimed.commit();
  });

  it('a transaction a failed statement aborted is not recorded: its commit rejects, typed', async () => {
    const name = table();
    const errors: DedupeStoreUnavailableError[] = [];
    const store = new PgDedupeStore({ pool, table: name, pruneEveryMs: 0, onError: (error) => errors.push(error) });
    const job = envelope();
    const claim = await store.claim(ADDRESS, job);
    await assert.rejects(store.transaction(job).query('SELECT * FROM no_such_table_at_all'));
    await assert.rejects(claim!.commit(), DedupeStoreUnavailableError);
    assert.equal(await count(name), 0);
    assert.deepEqual([errors.length, errors[0]?.step, store.failures.commit], [1, 'commit', 1]);
  });

  it("insert-then-handle records the id before the handler, and forgets it on release", async () => {
    const name = table();
    const store = new PgDedupeStore({ pool, table: name, mode: 'insert-then-handle', pruneEveryMs: 0 });
    const job = envelope();
    const claim = await store.claim(ADDRESS, job);
    assert.equal(await count(name), 1, 'recorded before the handler runs');
    assert.throws(() => store.transaction(job), NoDedupeTransactionError);
    assert.equal(await store.claim(ADDRESS, job), undefined);
    await claim!.release();
    assert.equal(await count(name), 0);
  });

  it('prunes ids older than the retention, a pass every pruneEveryMs on the Clock port', async () => {
    const name = table();
    const clock = new VirtualClock();
    // One connection, so each pass's DELETE runs before the count asked after it.
    const serial = newPool({ max: 1 });
    const store = new PgDedupeStore({ pool: serial, table: name, clock, retentionMs: 10_000, pruneEveryMs: 1_000 });
    try {
      await (await store.claim(ADDRESS, envelope()))!.commit(); // handled at 0
      const left: string[] = [];
      for (let second = 1; second <= 20; second++) {
        await clock.advance(1_000);
        if (second === 6) await (await store.claim(ADDRESS, envelope()))!.commit(); // handled at 6 s
        const rows = Number((await serial.query(`SELECT count(*) AS n FROM ${name}`)).rows[0].n);
        if (left.at(-1)?.endsWith(` ${rows}`) !== true) left.push(`${second} s: ${rows}`);
      }
      // Older than 10 s at the first pass after it: 11 s for the first id, 17 s for the second.
      assert.deepEqual(left, ['1 s: 1', '6 s: 2', '11 s: 1', '17 s: 0']);
      store.close();
      assert.equal(clock.pending, 0, 'no pruning timer left once closed');
    } finally {
      await serial.end();
    }
  });

  it('refuses a table name that is not a plain identifier', () => {
    for (const table of ['x; DROP TABLE y', 'Upper', '"quoted"', 'a.b.c', '']) assert.throws(() => new PgDedupeStore({ pool, table }), InvalidDedupeTableError);
  });

  it('fails a claim with DedupeStoreUnavailableError when the database is unreachable, and claims again once it is back', async () => {
    const proxy = await startCuttableProxy({ port: PG_CONFIG.port });
    const proxied = newPool({ port: proxy.port, connectionTimeoutMillis: 2_000 });
    try {
      const store = new PgDedupeStore({ pool: proxied, table: table(), pruneEveryMs: 0 });
      await store.ready();
      const job = envelope();
      const claim = await store.claim(ADDRESS, job);
      proxy.cut();
      const lost = await store.transaction(job).query('SELECT 1').catch((error: unknown) => error as Error);
      assert.ok(lost instanceof Error && claim!.lostWith!(lost), `a lost connection is recognised: ${String(lost)}`);
      await claim!.release();
      const refused = await store.claim(ADDRESS, job).catch((error: unknown) => error);
      assert.ok(refused instanceof DedupeStoreUnavailableError, String(refused));
      assert.equal(refused.step, 'claim');
      proxy.restore();
      const again = await store.claim(ADDRESS, job);
      assert.ok(again, 'rolled back when the connection died, so claimable again');
      await again.commit();
    } finally {
      await proxied.end();
      await proxy.close();
    }
  });

  it('tells a lost connection from a wrong statement', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    const cases: [unknown, boolean][] = [
      [withCode('57P01'), true],
      [withCode('08006'), true],
      [withCode('ECONNRESET'), true],
      [new Error('Connection terminated unexpectedly'), true],
      [new Error('wrapped', { cause: withCode('57P01') }), true],
      [withCode('23505'), false],
      [withCode('42P01'), false],
      [new Error('the handler failed'), false],
      ['57P01', false],
    ];
    for (const [error, lost] of cases) assert.equal(isConnectionLoss(error), lost, String((error as { code?: string }).code ?? error));
  });
});
