/**
 * The rendezvous server's HTTP endpoint (`POST /links`, `GET /buckets/<hash>`) under hostile HTTP
 * requests, over the in-memory store. The per-source rates are lifted (every frame comes from
 * 127.0.0.1; the bounds have their own specs), so the frames reach the decoding, not a limit; the
 * store keeps 2,000 links and refuses more (STORE_FULL), so the RSS bound measures the endpoint,
 * not the links a run stores (100,000 frames store some 20,000: 9 MB and more, held by design).
 */
import { randomBytes } from '../frames.ts';
import { httpRow, type HttpEdge } from '../http-row.ts';
import { defineTopology, run } from '../../index.ts';
import { MemoryBucketStore, RendezvousEndpointProtocol, rendezvousTree, SEALED_LINK_BYTES } from '../../actors/rendezvous/index.ts';

/** Links the row's store keeps. */
const STORED_LINKS = 2_000;
const UNLIMITED = { storeBurst: 1e9, storesPerSecond: 1e9, fetchBurst: 1e9, fetchesPerSecond: 1e9, maxPerSecond: 65_536 };

const rendezvousEdge: HttpEdge = async (onCrash) => {
  const running = run(defineTopology('fuzz-rendezvous', {
    rendezvous: rendezvousTree({ http: { port: 0 }, server: UNLIMITED, store: new MemoryBucketStore(STORED_LINKS) }),
  }));
  running.system.on('failed').subscribe((event) => onCrash(event.address, event.error));
  const { port } = await running.ref('rendezvous/http', RendezvousEndpointProtocol).ask('where', {});
  return { port, stop: () => running.stop({ drainTimeoutMs: 0 }) };
};

/** A link the server takes: version 1, then 239 bytes it cannot read anyway (ASCII here: a template's body is a string, sent as UTF-8). */
const sealedLike = (random: Parameters<typeof randomBytes>[0]) => `\u0001${Buffer.from(randomBytes(random, SEALED_LINK_BYTES)).toString('hex').slice(0, SEALED_LINK_BYTES - 1)}`;
const hashPath = (random: Parameters<typeof randomBytes>[0]) => `/buckets/${Buffer.from(randomBytes(random, 32)).toString('hex')}`;

export const rendezvousEndpointTarget = httpRow('rendezvousEndpoint', rendezvousEdge, {
  maxBodyBytes: SEALED_LINK_BYTES,
  valid: (random) => (random.int(2) === 0 ? { method: 'POST', path: '/links', body: sealedLike(random) } : { method: 'GET', path: hashPath(random), body: '' }),
  hostilePaths: (random) => [
    '/',
    '/links/',
    '/LINKS',
    '/buckets/',
    '/buckets/zz',
    `/buckets/${'0'.repeat(63)}`,
    `/buckets/${'0'.repeat(66)}`,
    `${hashPath(random)}/extra`,
    `${hashPath(random)}?x=${'q'.repeat(2_000)}`,
    `/buckets/${'%ff'.repeat(32)}`,
    `/${'a'.repeat(8_000)}`,
    '/__proto__',
  ],
});
