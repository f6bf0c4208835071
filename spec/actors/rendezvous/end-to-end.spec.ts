import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type pg from 'pg';
import { defineTopology, run, type RunningTopology } from '../../../index.ts';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { freePort, startCuttableProxy } from '../../../testing/index.ts';
import {
  actorRendezvous,
  BucketFingerprintError,
  BucketRefusedError,
  ConnectionLinkError,
  findLink,
  httpRendezvous,
  INSECURE_TEST_STRENGTH,
  MemoryBucketStore,
  PostgresBucketStore,
  RendezvousEndpointProtocol,
  RendezvousProtocol,
  rendezvousTree,
  RendezvousUnavailableError,
  storeLink,
  type BucketStore,
  type RendezvousOptions,
  type RendezvousServer,
} from '../../../actors/rendezvous/index.ts';
import { bucketHash, encodeBucketId } from '../../../actors/rendezvous/wire/index.ts';
import { dropTables, PG, pgPool, uniqueTable } from './support.ts';

const strength = INSECURE_TEST_STRENGTH;
const link = (n: number) => ({ host: 'chat.example.org', port: 5223, linkId: `invite-${n}-Zq9` });
const EPOCH = 1_764_000_000_000;

interface Started {
  running: RunningTopology;
  server: RendezvousServer;
  /** Over HTTP, when the tree has its endpoint. */
  http?: RendezvousServer;
  port?: number;
  logs: string[];
  stop(): Promise<void>;
}

/** A rendezvous tree in one process; its server's log lines are kept, to be searched for secrets. */
async function start(options: RendezvousOptions & { clock?: VirtualClock } = {}): Promise<Started> {
  const { clock, ...tree } = options;
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => (logs.push(String(chunk)), done()) }));
  const running = run(defineTopology('rendezvous-spec', { rendezvous: rendezvousTree(tree) }), { logger, ...(clock ? { ports: { clock } } : {}) });
  const server = actorRendezvous(running.ref('rendezvous/server', RendezvousProtocol));
  const started: Started = { running, server, logs, stop: () => running.stop({ drainTimeoutMs: 0 }) };
  if (tree.http) {
    const where = await running.ref('rendezvous/http', RendezvousEndpointProtocol).ask('where', {});
    started.port = where.port;
    started.http = httpRendezvous({ host: '127.0.0.1', port: where.port });
  }
  return started;
}

/** Raw HTTP to the endpoint: the status and the body. */
async function raw(port: number, method: string, path: string, body?: Buffer): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, ...(body ? { body } : {}) });
  return { status: response.status, text: await response.text() };
}

describe('rendezvous end to end: in-process, and over HTTP with PostgreSQL', function () {
  // Real sockets and the shared database on a busy 2-core machine: generous, each test takes well under a second quiet.
  this.timeout(20_000);
  let pool: pg.Pool;
  const tables: string[] = [];
  let running: Started[] = [];
  const pgStore = (db: pg.Pool = pool, table = uniqueTable()): BucketStore => {
    tables.push(table);
    return new PostgresBucketStore(db, { table });
  };
  const track = (started: Started) => (running.push(started), started);
  before(() => (pool = pgPool()));
  afterEach(async () => {
    for (const started of running.splice(0)) await started.stop();
  });
  after(async () => {
    await dropTables(pool, tables);
    await pool.end();
  });

  it('in-process: the initiator stores, the accepter finds by hash and passphrase; a wrong passphrase finds nothing', async () => {
    const clock = new VirtualClock({ start: EPOCH });
    const { server } = track(await start({ clock }));
    const invitation = await storeLink(server, link(1), 'blue kettle', { clock, strength });
    assert.deepEqual(invitation.bucket, { seconds: EPOCH / 1000, sequence: 0 });
    assert.equal(invitation.bucketHash, bucketHash(invitation.bucket).toString('hex'));
    await storeLink(server, link(2), 'someone else', { clock, strength });
    assert.deepEqual(await findLink(server, invitation.bucketHash, 'blue kettle', { strength }), { link: link(1), bucketSize: 2, tried: 2 });
    assert.deepEqual(await findLink(server, invitation.bucketHash, 'red kettle', { strength }), { link: undefined, bucketSize: 2, tried: 2 });
  });

  it('in-process: the 65th link opens a new bucket, the second of that second (sequence 1), and each accepter still finds its own', async () => {
    const clock = new VirtualClock({ start: EPOCH });
    const { server } = track(await start({ clock, server: { storeBurst: 1_000 } }));
    const invitations = [];
    for (let n = 0; n < 65; n += 1) invitations.push(await storeLink(server, link(n), `passphrase ${n}`, { clock, strength }));
    assert.deepEqual(new Set(invitations.slice(0, 64).map((invitation) => JSON.stringify(invitation.bucket))), new Set([JSON.stringify({ seconds: EPOCH / 1000, sequence: 0 })]));
    assert.deepEqual(invitations[64]!.bucket, { seconds: EPOCH / 1000, sequence: 1 });
    const first = await findLink(server, invitations[63]!.bucketHash, 'passphrase 63', { strength });
    assert.deepEqual([first.link, first.bucketSize], [link(63), 64]);
    const second = await findLink(server, invitations[64]!.bucketHash, 'passphrase 64', { strength });
    assert.deepEqual([second.link, second.bucketSize], [link(64), 1]);
  });

  it('the fingerprinting refusal: a bucket id too far from the client’s clock, or a sequence number too large, is BucketFingerprintError', async () => {
    const clock = new VirtualClock({ start: EPOCH });
    // A server that lies: each client its own bucket, told apart by time or by sequence number.
    const liar = (seconds: number, sequence: number): RendezvousServer => ({ store: async () => encodeBucketId({ seconds, sequence }), fetch: async () => [] });
    await assert.rejects(storeLink(liar(EPOCH / 1000 - 3_600, 0), link(1), 'p', { clock, strength }), (error: BucketFingerprintError) => error.reason === 'skew' && error.code === 'BUCKET_FINGERPRINT');
    await assert.rejects(storeLink(liar(EPOCH / 1000, 4_000), link(1), 'p', { clock, strength }), (error: BucketFingerprintError) => error.reason === 'sequence');
    // An honest server's second bucket of a second, refused by a client that allows sequence 0 only.
    const { server } = track(await start({ clock, server: { maxLinks: 1 } }));
    await storeLink(server, link(1), 'p', { clock, strength, tolerance: { maxSequence: 0 } });
    await assert.rejects(storeLink(server, link(2), 'p', { clock, strength, tolerance: { maxSequence: 0 } }), BucketFingerprintError);
  });

  it('expiry on the virtual clock: a bucket is gone after its ttl, and the sweep deletes it from the store', async () => {
    const clock = new VirtualClock({ start: EPOCH });
    const store = new MemoryBucketStore();
    const { server, running: topology } = track(await start({ clock, store, server: { ttlMs: 3_600_000, sweepIntervalMs: 60_000 } }));
    const invitation = await storeLink(server, link(1), 'p', { clock, strength });
    await clock.advance(3_599_000);
    assert.equal((await findLink(server, invitation.bucketHash, 'p', { strength })).link?.linkId, link(1).linkId);
    await clock.advance(1_000);
    assert.deepEqual(await findLink(server, invitation.bucketHash, 'p', { strength }), { link: undefined, bucketSize: 0, tried: 0 });
    await clock.advance(60_000);
    assert.equal(await store.size(0), 0, 'swept');
    assert.equal((await topology.ref('rendezvous/server', RendezvousProtocol).ask('status', {})).links, 0);
  });

  it('over HTTP with PostgreSQL: the exchange works, and neither the table nor the server’s log holds the link, the passphrase or the bucket id', async () => {
    const table = uniqueTable();
    const started = track(await start({ store: pgStore(pool, table), http: { port: 0 } }));
    const passphrase = 'correct horse battery staple';
    const invitation = await storeLink(started.http!, link(7), passphrase, { strength });
    assert.deepEqual((await findLink(started.http!, invitation.bucketHash, passphrase, { strength })).link, link(7));
    const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    assert.equal(rows.length, 1);
    const held = Buffer.concat([...rows.flatMap((row) => Object.values(row).map((value) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value))))), Buffer.from(started.logs.join(''))]);
    const secrets = { host: Buffer.from(link(7).host), linkId: Buffer.from(link(7).linkId), passphrase: Buffer.from(passphrase), 'bucket id': encodeBucketId(invitation.bucket), 'bucket id (hex)': Buffer.from(encodeBucketId(invitation.bucket).toString('hex')) };
    for (const [what, bytes] of Object.entries(secrets)) assert.equal(held.indexOf(bytes), -1, `the store or the log holds the ${what}`);
    assert.deepEqual(rows[0]!.bucket_hash, bucketHash(invitation.bucket));
  });

  it('a restart of the server actor, and of the whole tree over the same PostgreSQL table, loses no bucket', async () => {
    const table = uniqueTable();
    // A fixed port: the endpoint restarts after the server (rest_for_one) and binds it again.
    const first = track(await start({ store: pgStore(pool, table), http: { port: await freePort() } }));
    const invitation = await storeLink(first.http!, link(3), 'p', { strength });
    await first.running.restart('rendezvous/server');
    assert.deepEqual((await findLink(first.http!, invitation.bucketHash, 'p', { strength })).link, link(3));
    // The next link after a restart within the same second: a slot of that second's bucket is taken, so it opens the next.
    const after = await storeLink(first.http!, link(4), 'q', { strength });
    assert.ok(after.bucket.seconds > invitation.bucket.seconds || after.bucket.sequence > invitation.bucket.sequence, JSON.stringify([invitation.bucket, after.bucket]));
    await first.stop();
    running = [];
    const second = track(await start({ store: new PostgresBucketStore(pool, { table }), http: { port: 0 } }));
    assert.deepEqual((await findLink(second.http!, invitation.bucketHash, 'p', { strength })).link, link(3));
    assert.deepEqual((await findLink(second.http!, after.bucketHash, 'q', { strength })).link, link(4));
  });

  it('a PostgreSQL connection loss is STORE_UNAVAILABLE to the client; the server recovers when the database returns', async () => {
    const proxy = await startCuttableProxy({ host: PG.host, port: PG.port });
    const cuttable = pgPool({ port: proxy.port, connectionTimeoutMillis: 2_000 });
    try {
      const started = track(await start({ store: pgStore(cuttable), http: { port: 0 }, server: { storeTimeoutMs: 3_000 } }));
      const before = await storeLink(started.http!, link(1), 'p', { strength });
      proxy.cut();
      await assert.rejects(storeLink(started.http!, link(2), 'p', { strength }), (error: BucketRefusedError) => error instanceof BucketRefusedError && error.refusal === 'STORE_UNAVAILABLE');
      await assert.rejects(findLink(started.http!, before.bucketHash, 'p', { strength }), (error: BucketRefusedError) => error.refusal === 'STORE_UNAVAILABLE');
      proxy.restore();
      assert.deepEqual((await findLink(started.http!, before.bucketHash, 'p', { strength })).link, link(1));
      const after = await storeLink(started.http!, link(3), 'another', { strength });
      assert.deepEqual((await findLink(started.http!, after.bucketHash, 'another', { strength })).link, link(3));
      const status = await started.running.ref('rendezvous/server', RendezvousProtocol).ask('status', {});
      assert.equal(status.refusals.STORE_UNAVAILABLE, 2);
    } finally {
      await cuttable.end();
      await proxy.close();
    }
  });

  it('over HTTP: undersized, oversized and malformed links, and malformed hashes, are refused with their codes; the client’s typed error says which', async () => {
    const started = track(await start({ http: { port: 0 } }));
    const port = started.port!;
    assert.deepEqual(await raw(port, 'POST', '/links', Buffer.alloc(239, 1)), { status: 400, text: 'LINK_SIZE' });
    assert.deepEqual(await raw(port, 'POST', '/links', Buffer.alloc(241, 1)), { status: 400, text: 'LINK_SIZE' });
    assert.deepEqual(await raw(port, 'POST', '/links', Buffer.alloc(1_000_000, 1)), { status: 400, text: 'LINK_SIZE' });
    assert.deepEqual(await raw(port, 'POST', '/links', Buffer.alloc(240, 7)), { status: 400, text: 'LINK_FORMAT' });
    assert.deepEqual(await raw(port, 'GET', '/buckets/abc'), { status: 400, text: 'HASH_FORMAT' });
    assert.deepEqual(await raw(port, 'GET', `/buckets/${'00'.repeat(32)}`), { status: 200, text: '' });
    assert.equal((await raw(port, 'GET', '/links')).status, 405);
    assert.equal((await raw(port, 'GET', '/elsewhere')).status, 404);
    await assert.rejects(started.http!.store(Buffer.alloc(100, 1)), (error: BucketRefusedError) => error.refusal === 'LINK_SIZE' && error.code === 'BUCKET_REFUSED');
    await assert.rejects(started.server.store(Buffer.alloc(240, 0)), (error: BucketRefusedError) => error.refusal === 'LINK_FORMAT');
    const sealed = Buffer.alloc(240, 1);
    await started.server.store(sealed);
    await assert.rejects(started.server.store(sealed), (error: BucketRefusedError) => error.refusal === 'DUPLICATE');
  });

  it('a server answering outside the protocol is RendezvousUnavailableError (malformed, status, network); a malformed hash never leaves the client', async () => {
    // [path, status, body] answered by a hostile server, and the failure the client reports
    const answers: Record<string, [number, Buffer | string]> = { '/links': [201, Buffer.alloc(7)], [`/buckets/${'11'.repeat(32)}`]: [200, Buffer.alloc(241)], [`/buckets/${'22'.repeat(32)}`]: [200, Buffer.alloc(65 * 240)], [`/buckets/${'33'.repeat(32)}`]: [418, 'TEAPOT'] };
    const hostile = http.createServer((request, response) => {
      request.resume();
      const [status, body] = answers[request.url ?? ''] ?? [500, ''];
      response.writeHead(status).end(body);
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const port = (hostile.address() as AddressInfo).port;
    const server = httpRendezvous({ host: '127.0.0.1', port });
    const failure = (kind: string) => (error: RendezvousUnavailableError) => error instanceof RendezvousUnavailableError && error.failure === kind;
    try {
      await assert.rejects(server.store(Buffer.alloc(240, 1)), failure('malformed'));
      await assert.rejects(server.fetch(Buffer.alloc(32, 0x11)), failure('malformed'));
      await assert.rejects(server.fetch(Buffer.alloc(32, 0x22)), failure('malformed'));
      await assert.rejects(server.fetch(Buffer.alloc(32, 0x33)), failure('malformed'), 'an unknown refusal word');
      await assert.rejects(server.fetch(Buffer.alloc(32, 0x44)), failure('status'));
      await assert.rejects(findLink(server, 'not a hash', 'p', { strength }), ConnectionLinkError);
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
    await assert.rejects(httpRendezvous({ host: '127.0.0.1', port }).fetch(Buffer.alloc(32)), failure('network'));
  });

  it('a flood from one source is bounded: its burst is stored, the rest refused RATE_LIMITED, and nothing else slows', async () => {
    const started = track(await start({ http: { port: 0 }, server: { storeBurst: 16, storesPerSecond: 0.001 } }));
    const answers = await Promise.all(Array.from({ length: 60 }, (_, n) => raw(started.port!, 'POST', '/links', Buffer.alloc(240, 1).fill(n, 1))));
    const counted = answers.reduce<Record<string, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
    assert.deepEqual(counted, { 201: 16, 429: 44 });
    // Another source (an actor, counted by its address) is untouched.
    assert.equal((await started.server.store(Buffer.alloc(240, 1).fill(99, 1))).length, 6);
  });
});
