/**
 * The rendezvous server as a one-node topology: `rendezvousTree` (the server actor and its HTTP
 * endpoint) over a store: the embedded default keeps buckets in memory; give a
 * `PostgresBucketStore` over your `pg.Pool` to keep them across restarts. Parties use
 * `storeLink` and `findLink` (`airlock/rendezvous`'s client library); see demo.ts.
 */
import { defineTopology, type Topology } from '../../index.ts';
import { rendezvousTree, type BucketStore, type RendezvousOptions } from '../../actors/rendezvous/index.ts';

/** One node, `rendezvous`, its endpoint on `host:port` (a public address in a real deployment). */
export function rendezvousTopology(port: number, store?: BucketStore, host = '127.0.0.1', options: Omit<RendezvousOptions, 'at' | 'store' | 'http'> = {}): Topology {
  return defineTopology('rendezvous', {
    rendezvous: rendezvousTree({ ...options, at: 'rendezvous', ...(store ? { store } : {}), http: { host, port } }),
  });
}
