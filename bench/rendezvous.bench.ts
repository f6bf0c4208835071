/**
 * `npm run bench -- rendezvous`: the rendezvous server's stores and lookups per second, through
 * the server actor (its rules, its deadline, the actor's mailbox) over each store, beside the bare
 * store calls of the same rows in the same run: the in-memory store's methods called directly,
 * and a bare `pg` INSERT / SELECT of the same rows on the same pool. Then the client's crypto:
 * sealing a link and opening a full bucket (64 links) at the default Argon2id strength, beside
 * the sodium calls alone (crypto_pwhash and crypto_secretbox, one after the other); the cost of
 * one derivation at that strength is what the README states.
 *
 * Stores go one at a time (the server handles them in order: each link's slot is the rules'),
 * lookups 16 at once (the server answers them as the store does). Bucket limits are raised so
 * neither the rates per source nor the 16 buckets a second bound the figure (those bounds cap an
 * honest server at 1,024 stores a second by design). Medians of 3 interleaved runs after a warm-up.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import sodium from 'sodium-native';
import { defineTopology, run } from '../index.ts';
import { decodeBucketId, DEFAULT_STRENGTH, findLink, MemoryBucketStore, PostgresBucketStore, RendezvousProtocol, bucketHash, openLink, rendezvousTree, sealLink, type BucketStore } from '../actors/rendezvous/index.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';

const LINKS_PER_BUCKET = 64;
const FETCH_CONCURRENCY = 16;
/** Links in the bucket the accepter's search is timed on. */
const SEARCHED = 16;
const TTL = 3_600_000;

/** Sealed-looking links (version byte 1, then random bytes: the server cannot tell them from real ones). */
const fakeLinks = (n: number) => Array.from({ length: n }, () => Buffer.concat([Buffer.from([1]), randomBytes(239)]));

/** Runs `work(i)` for i < n with `concurrency` at a time; returns operations per second. */
async function perSecond(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await work(next++);
  }));
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

interface Rates {
  stores: number;
  fetches: number;
}

/** Stores `n` links through the server actor over `store`, then fetches the buckets they went to. */
async function throughActor(store: BucketStore, n: number): Promise<Rates> {
  const running = run(defineTopology('rendezvous-bench', {
    rendezvous: rendezvousTree({ store, server: { storeBurst: 1e9, storesPerSecond: 1e9, fetchBurst: 1e9, fetchesPerSecond: 1e9, maxPerSecond: 65_536, sweepIntervalMs: 0 } }),
  }));
  const server = running.ref('rendezvous/server', RendezvousProtocol);
  const links = fakeLinks(n);
  const hashes = new Set<string>();
  const stores = await perSecond(n, 1, async (i) => {
    const answer = await server.ask('store', { link: links[i]!, source: 'bench' });
    if (!answer.ok) throw new Error(`refused ${answer.code}`);
    hashes.add(bucketHash(decodeBucketId(answer.bucket)!).toString('hex'));
  });
  const buckets = [...hashes].map((hex) => Buffer.from(hex, 'hex'));
  const fetches = await perSecond(n, FETCH_CONCURRENCY, async (i) => {
    const answer = await server.ask('fetch', { hash: buckets[i % buckets.length]!, source: 'bench' });
    if (!answer.ok) throw new Error(`refused ${answer.code}`);
  });
  await running.stop();
  return { stores, fetches };
}

/** The same rows straight into `store` (slots and hashes as the server would give them), then the same lookups. */
async function bare(store: Pick<BucketStore, 'add' | 'links'>, n: number): Promise<Rates> {
  const links = fakeLinks(n);
  const run = randomBytes(4).readUInt32BE(0);
  const hashOf = (i: number) => bucketHash({ seconds: run, sequence: Math.floor(i / LINKS_PER_BUCKET) });
  const expiresAt = Date.now() + TTL;
  const stores = await perSecond(n, 1, (i) => store.add({ hash: hashOf(i), slot: i % LINKS_PER_BUCKET, link: links[i]!, expiresAt }));
  const buckets = Math.ceil(n / LINKS_PER_BUCKET);
  const now = Date.now();
  const fetches = await perSecond(n, FETCH_CONCURRENCY, (i) => store.links(hashOf((i % buckets) * LINKS_PER_BUCKET), now));
  return { stores, fetches };
}

/** A bare `pg` INSERT and SELECT of the same rows, no store class in between. */
function barePg(pool: pg.Pool, table: string): Pick<BucketStore, 'add' | 'links'> {
  return {
    add: async ({ hash, slot, link, expiresAt }) => {
      await pool.query(`INSERT INTO ${table} (bucket_hash, slot, link, expires_at) VALUES ($1, $2, $3, $4)`, [hash, slot, link, expiresAt]);
      return 'added';
    },
    links: async (hash, now) => (await pool.query<{ link: Buffer }>(`SELECT link FROM ${table} WHERE bucket_hash = $1 AND expires_at > $2 ORDER BY slot`, [hash, now])).rows.map((row) => row.link),
  };
}

/** Medians of `runs` interleaved runs of each, after a warm-up of each. */
async function interleaved(runs: number, a: () => Promise<Rates>, b: () => Promise<Rates>): Promise<[Rates, Rates]> {
  await a();
  await b();
  const as: Rates[] = [];
  const bs: Rates[] = [];
  for (let i = 0; i < runs; i += 1) (as.push(await a()), bs.push(await b()));
  const med = (all: Rates[]): Rates => ({ stores: median(all.map((r) => r.stores)), fetches: median(all.map((r) => r.fetches)) });
  return [med(as), med(bs)];
}

/** Milliseconds of `work`, median of `runs`. */
async function ms(runs: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    await work();
    all.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(all);
}

/** The sodium calls alone: derive, then secretbox (seal) or secretbox_open (open), at the default strength. */
function sodiumAlone(open: boolean): void {
  const key = Buffer.alloc(32);
  sodium.crypto_pwhash(key, Buffer.from('a passphrase'), randomBytes(16), DEFAULT_STRENGTH.opsLimit, DEFAULT_STRENGTH.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const nonce = randomBytes(24);
  const box = Buffer.alloc(199);
  sodium.crypto_secretbox_easy(box, Buffer.alloc(183), nonce, key);
  if (open) sodium.crypto_secretbox_open_easy(Buffer.alloc(183), box, nonce, key);
}

const bench: Benchmark = async ({ quick }) => {
  const figures: Figure[] = [];
  const runs = quick ? 1 : 3;
  const n = quick ? 1_000 : 5_000;

  const [memoryActor, memoryBare] = await interleaved(runs, () => throughActor(new MemoryBucketStore(1e7), n), () => bare(new MemoryBucketStore(1e7), n));
  figures.push(
    figure('in-memory store: stores/s through the server actor', memoryActor.stores, 'ops/s', 'MemoryBucketStore.add alone', memoryBare.stores, true),
    figure(`in-memory store: lookups/s of full buckets, ${FETCH_CONCURRENCY} at once`, memoryActor.fetches, 'ops/s', 'MemoryBucketStore.links alone', memoryBare.fetches, true),
  );

  const pool = new pg.Pool({ host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', max: FETCH_CONCURRENCY });
  pool.on('error', () => {});
  const tables: string[] = [];
  const table = () => {
    const name = `rendezvous_bench_${process.pid}_${tables.length}`;
    tables.push(name);
    return name;
  };
  try {
    const pgN = quick ? 500 : 2_000;
    const [pgActor, pgBare] = await interleaved(
      runs,
      () => throughActor(new PostgresBucketStore(pool, { table: table() }), pgN),
      async () => {
        const name = table();
        await new PostgresBucketStore(pool, { table: name }).size(0); // the same table and indexes
        return bare(barePg(pool, name), pgN);
      },
    );
    figures.push(
      figure('PostgreSQL store: stores/s through the server actor', pgActor.stores, 'ops/s', 'bare pg INSERT of the same rows', pgBare.stores, true),
      figure(`PostgreSQL store: lookups/s of full buckets, ${FETCH_CONCURRENCY} at once`, pgActor.fetches, 'ops/s', 'bare pg SELECT of the same rows', pgBare.fetches, true),
    );
  } finally {
    for (const name of tables) await pool.query(`DROP TABLE IF EXISTS ${name}`);
    await pool.end();
  }

  const cryptoRuns = quick ? 3 : 7;
  const link = { host: 'chat.example.org', port: 5223, linkId: 'bench-link' };
  const derivation = await ms(cryptoRuns, () => sodiumAlone(false));
  const seal = await ms(cryptoRuns, () => sealLink(link, 'a passphrase'));
  figures.push(figure('sealLink at the default strength (Argon2id 2 passes, 64 MiB)', seal, 'ms', 'crypto_pwhash + secretbox alone', derivation, false));
  const sealed = await sealLink(link, 'a passphrase');
  const open = await ms(cryptoRuns, () => openLink(sealed, 'a passphrase'));
  figures.push(figure('openLink of one link', open, 'ms', 'crypto_pwhash + secretbox_open alone', await ms(cryptoRuns, () => sodiumAlone(true)), false));
  // A bucket of 16 (a full one of 64 costs four times as much): every link tried, none opens.
  const bucket = await Promise.all(Array.from({ length: SEARCHED }, (_, i) => sealLink({ ...link, linkId: `other-${i}` }, `other ${i}`)));
  const full = { store: async () => Buffer.alloc(6), fetch: async () => bucket };
  const search = await ms(quick ? 1 : 3, () => findLink(full, Buffer.alloc(32), 'not among them'));
  const sequential = await ms(quick ? 1 : 3, () => {
    for (let i = 0; i < SEARCHED; i += 1) sodiumAlone(true);
  });
  figures.push(figure(`findLink in a bucket of ${SEARCHED} (${SEARCHED} derivations, four at a time, no match)`, search, 'ms', `${SEARCHED} sodium derivations one after another`, sequential, false));
  return figures;
};

export default bench;
