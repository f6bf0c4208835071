import assert from 'node:assert/strict';
import type pg from 'pg';
import { StoreUnavailableError } from '../../../actors/rendezvous/errors.ts';
import { MemoryBucketStore, PostgresBucketStore, type BucketStore } from '../../../actors/rendezvous/store/index.ts';
import { dropTables, HASH, LINK, pgPool, uniqueTable } from './support.ts';

/** The store contract, run against each store: the same table of steps, the same answers. */
describe('rendezvous stores: one contract, in memory and in PostgreSQL', function () {
  // Each PostgreSQL row is a few queries on the shared server; generous for a busy machine.
  this.timeout(20_000);
  let pool: pg.Pool;
  const tables: string[] = [];
  before(() => (pool = pgPool()));
  after(async () => {
    await dropTables(pool, tables);
    await pool.end();
  });

  const makers: [string, () => BucketStore][] = [
    ['memory', () => new MemoryBucketStore()],
    ['postgres', () => {
      const table = uniqueTable();
      tables.push(table);
      return new PostgresBucketStore(pool, { table });
    }],
  ];

  for (const [kind, make] of makers) {
    describe(kind, () => {
      it('adds links to slots and returns a bucket’s in slot order; another bucket stays apart', async () => {
        const store = make();
        assert.equal(await store.add({ hash: HASH(1), slot: 1, link: LINK(11), expiresAt: 1_000 }), 'added');
        assert.equal(await store.add({ hash: HASH(1), slot: 0, link: LINK(10), expiresAt: 1_000 }), 'added');
        assert.equal(await store.add({ hash: HASH(2), slot: 0, link: LINK(20), expiresAt: 1_000 }), 'added');
        assert.deepEqual(await store.links(HASH(1), 0), [LINK(10), LINK(11)]);
        assert.deepEqual(await store.links(HASH(3), 0), []);
        assert.equal(await store.size(0), 3);
      });

      it('a filled slot is taken, the same bytes again a duplicate', async () => {
        const store = make();
        await store.add({ hash: HASH(1), slot: 0, link: LINK(10), expiresAt: 1_000 });
        assert.equal(await store.add({ hash: HASH(1), slot: 0, link: LINK(12), expiresAt: 1_000 }), 'taken');
        assert.equal(await store.add({ hash: HASH(5), slot: 3, link: LINK(10), expiresAt: 1_000 }), 'duplicate');
      });

      it('expired links are not returned, and the sweep deletes them', async () => {
        const store = make();
        await store.add({ hash: HASH(1), slot: 0, link: LINK(10), expiresAt: 1_000 });
        await store.add({ hash: HASH(1), slot: 1, link: LINK(11), expiresAt: 2_000 });
        assert.deepEqual(await store.links(HASH(1), 1_000), [LINK(11)]);
        assert.equal(await store.expire(1_500), 1);
        assert.equal(await store.size(0), 1);
        assert.equal(await store.expire(2_000), 1);
        assert.deepEqual(await store.links(HASH(1), 0), []);
      });
    });
  }

  it('memory: past its capacity a store is full', async () => {
    const store = new MemoryBucketStore(2);
    await store.add({ hash: HASH(1), slot: 0, link: LINK(1), expiresAt: 10 });
    await store.add({ hash: HASH(1), slot: 1, link: LINK(2), expiresAt: 10 });
    assert.equal(await store.add({ hash: HASH(1), slot: 2, link: LINK(3), expiresAt: 10 }), 'full');
    await store.expire(10);
    assert.equal(await store.add({ hash: HASH(1), slot: 2, link: LINK(3), expiresAt: 20 }), 'added');
  });

  it('postgres: the table is made idempotently, with an index led by the bucket hash and one on expiry', async () => {
    const table = uniqueTable();
    tables.push(table);
    await new PostgresBucketStore(pool, { table }).size(0);
    await new PostgresBucketStore(pool, { table }).size(0);
    const { rows } = await pool.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table]);
    const definitions = rows.map((row) => row.indexdef.replace(/^.* USING btree /, ''));
    assert.deepEqual(definitions.sort(), ['(bucket_hash, slot)', '(expires_at)', '(link)']);
  });

  it('postgres: a database it cannot reach is a StoreUnavailableError, and a table name is checked before it is put in SQL', async () => {
    const nowhere = pgPool({ port: 1, connectionTimeoutMillis: 2_000 });
    try {
      await assert.rejects(new PostgresBucketStore(nowhere, { table: uniqueTable() }).links(HASH(1), 0), StoreUnavailableError);
    } finally {
      await nowhere.end();
    }
    assert.throws(() => new PostgresBucketStore(pool, { table: 'links; DROP TABLE x' }), TypeError);
  });
});
