/**
 * `npm run demo:rendezvous [-- --pg]`: Alice introduces herself to Bob through a rendezvous server
 * without the server learning where they will talk. Alice seals a connection link (her messaging
 * server and a link id there) under a passphrase and stores it; the server puts it in a bucket
 * among other people's links and answers the bucket id; Alice passes Bob only the bucket's hash
 * (and, elsewhere, the passphrase); Bob fetches the whole bucket by the hash and opens the one
 * link his passphrase opens. Eve, with the hash but a wrong passphrase, finds nothing. The
 * server's view is printed beside the parties'. Then the server restarts and Bob finds it again.
 *
 * The store is in memory (the embedded default), or with `--pg` a PostgreSQL table
 * (PGHOST/PGPORT/PGUSER/PGDATABASE, default 127.0.0.1:5432, postgres, test), made for the run and
 * dropped at its end; with `--pg` the whole server stops and a new one starts on the same table.
 * Argon2id runs at its default strength (INTERACTIVE: 2 passes over 64 MiB).
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { run, type RunningTopology } from '../../index.ts';
import { findLink, httpRendezvous, PostgresBucketStore, RendezvousEndpointProtocol, RendezvousProtocol, storeLink, type BucketStore } from '../../actors/rendezvous/index.ts';
import { freePort } from '../../testing/index.ts';
import { rendezvousTopology } from './topology.ts';

const usePg = process.argv.includes('--pg');
const started = Date.now();
const party = (line: string) => console.log(`+${String(Date.now() - started).padStart(5)} ms  parties | ${line}`);
const server = (line: string) => console.log(`+${String(Date.now() - started).padStart(5)} ms  server  | ${line}`);

// ---- the store: memory, or a PostgreSQL table of this run's own ------------------------------
const table = `rendezvous_demo_${process.pid}`;
let pool: pg.Pool | undefined;
let store: BucketStore | undefined;
if (usePg) {
  const env = process.env;
  pool = new pg.Pool({ host: env.PGHOST ?? '127.0.0.1', port: Number(env.PGPORT ?? 5432), user: env.PGUSER ?? 'postgres', database: env.PGDATABASE ?? 'test', max: 4 });
  // An idle client's connection dropping is the store's business (STORE_UNAVAILABLE, then recovery), never the process's.
  pool.on('error', (error) => server(`postgres: ${error.message}`));
  store = new PostgresBucketStore(pool, { table });
}

// ---- the rendezvous server ------------------------------------------------------------------
const port = await freePort();
/** The endpoint logs each request it answers: printed as the server's view. */
const requests = new Writable({
  write(chunk, _encoding, done) {
    const entry = JSON.parse(String(chunk)) as { msg: string; method?: string; path?: string; source?: string; status?: number; bytes?: number };
    if (entry.msg === 'request') server(`${entry.method} ${entry.path!.replace(/^(\/buckets\/.{16}).*$/, '$1…')} from ${entry.source} → ${entry.status}, ${entry.bytes} bytes`);
    done();
  },
});
const logger = pino({ level: 'debug' }, requests);
/** Runs the server and resolves once its endpoint listens (the endpoint answers `where` then). */
async function start(): Promise<RunningTopology> {
  const topology = run(rendezvousTopology(port, store, '127.0.0.1', { server: { storeBurst: 64 } }), { logger });
  await topology.ref('rendezvous/http', RendezvousEndpointProtocol).ask('where', {});
  return topology;
}
let running = await start();
const rendezvous = httpRendezvous({ host: '127.0.0.1', port });
server(`listening on http://127.0.0.1:${port}, store: ${usePg ? `PostgreSQL table ${table}` : 'memory (embedded default)'}`);

/** What the server holds and has counted: its whole view. */
async function serverView(): Promise<void> {
  const status = await running.ref('rendezvous/server', RendezvousProtocol).ask('status', {});
  server(`counted: ${status.stored} links stored, ${status.opened} bucket(s) opened, ${status.fetched} fetch(es); ${status.links} links held`);
  if (pool) {
    const { rows } = await pool.query<{ bucket_hash: Buffer; slot: number; link: Buffer; expires_at: string }>(`SELECT bucket_hash, slot, link, expires_at FROM ${table} ORDER BY bucket_hash, slot`);
    for (const row of rows) server(`row: bucket_hash ${row.bucket_hash.toString('hex').slice(0, 16)}… slot ${row.slot}  link ${row.link.length} B ${row.link.toString('hex').slice(0, 24)}…  expires_at ${row.expires_at}`);
  }
}

// ---- other people's introductions: the crowd Alice's link hides in -----------------------------
// Three at once: each seal is an Argon2id derivation, and libuv runs four at a time.
await Promise.all(['carol', 'dave', 'erin'].map((name, n) => storeLink(rendezvous, { host: `msg${n}.example.net`, port: 443, linkId: `${name}-${n}x` }, `${name}'s own passphrase`)));
party('3 other people stored their sealed links');

// ---- Alice: seals her link, stores it, passes on the hash only --------------------------------
const aliceLink = { host: 'chat.alice.example', port: 5223, linkId: 'a1ice-7f3k9q' };
const passphrase = 'violet anchor seventeen lanterns';
const invitation = await storeLink(rendezvous, aliceLink, passphrase);
party(`Alice stored ${aliceLink.host}:${aliceLink.port}/${aliceLink.linkId}, sealed under her passphrase`);
party(`Alice got bucket ${invitation.bucket.seconds}.${invitation.bucket.sequence} (checked: within 5 min of her clock, sequence ≤ 15); she keeps it`);
party(`Alice tells Bob: server http://127.0.0.1:${port}, bucket hash ${invitation.bucketHash}`);
party('Alice tells Bob the passphrase on another channel');
await serverView();

// ---- Bob: fetches the bucket by its hash, opens his link; Eve cannot --------------------------
const bob = await findLink(rendezvous, invitation.bucketHash, passphrase);
party(`Bob fetched the bucket (${bob.bucketSize} links), tried ${bob.tried}: ${bob.link ? `opened ${bob.link.host}:${bob.link.port}/${bob.link.linkId}` : 'nothing opened'}`);
const eve = await findLink(rendezvous, invitation.bucketHash, 'violet anchor seventeen lantern');
party(`Eve, with the hash and a wrong passphrase: ${eve.bucketSize} links, tried ${eve.tried}, ${eve.link ? 'opened one!' : 'none opened'}`);
await serverView();

// ---- the server restarts: the buckets are still there -----------------------------------------
if (usePg) {
  await running.stop();
  server('stopped; a new server starts on the same PostgreSQL table');
  running = await start();
} else {
  await running.restart('rendezvous/server');
  server('the server actor restarted (the embedded store lives in this process)');
}
const again = await findLink(rendezvous, invitation.bucketHash, passphrase);
party(`Bob, after the restart: ${again.link ? `opened ${again.link.host}:${again.link.port}/${again.link.linkId}` : 'nothing opened'}`);

await running.stop();
if (pool) {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
}
party('done');
