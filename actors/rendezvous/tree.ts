import { child } from '../../supervisors/child-spec.ts';
import { supervisor, type SupervisorSpec } from '../../supervisors/supervisor-spec.ts';
import { rendezvousEndpointActor, type RendezvousEndpointConfigInput } from './server/http-endpoint.ts';
import { rendezvousServerActor, type RendezvousServerConfigInput } from './server/server-actor.ts';
import type { BucketStore } from './store/bucket-store.ts';
import { MemoryBucketStore } from './store/memory-store.ts';

export interface RendezvousOptions {
  /** The address this tree runs at (its node's name when it is a node's root): children are `<at>/server` and `<at>/http`. */
  at?: string;
  /** Where buckets are kept: a `MemoryBucketStore` (the default, one per tree) or a `PostgresBucketStore` over the composition root's pool. */
  store?: BucketStore;
  /** The bucket rules' bounds and the store's deadline (see limits.ts for the defaults and their reasons). */
  server?: RendezvousServerConfigInput;
  /** The HTTP endpoint; without it the server answers actor messages only. */
  http?: Omit<RendezvousEndpointConfigInput, 'server'>;
}

/**
 * The rendezvous node's tree, rest_for_one in start order: the server, then its HTTP endpoint.
 * The store is made here, outside both actors, so a restart of either keeps every bucket; an
 * endpoint's crash ends only its open requests.
 */
export function rendezvousTree(options: RendezvousOptions = {}): SupervisorSpec {
  const at = options.at ?? 'rendezvous';
  const store = options.store ?? new MemoryBucketStore();
  return supervisor({
    strategy: 'rest_for_one',
    intensity: { maxRestarts: 10, withinMs: 10_000 },
    children: [
      child('server', rendezvousServerActor({ store }), { config: options.server ?? {} }),
      ...(options.http ? [child('http', rendezvousEndpointActor, { config: { ...options.http, server: `${at}/server` } })] : []),
    ],
  });
}
