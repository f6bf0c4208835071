/**
 * Private rendezvous buckets under faults: a `rendezvous` node (the server's tree over a store
 * that fails), and a `parties` node whose initiators store sealed links and whose accepters fetch
 * their buckets by hash, as actor messages over the durable broker. Messages drop, duplicate and
 * wait; the parties are cut off from the broker for a while; the server actor crashes once; the
 * store fails at random and goes down for a seeded window (half its calls then hang, so the
 * server's deadline on the Clock port ends them).
 *
 * Invariants: every offer ends with a bucket id or a typed error (BucketRefusedError,
 * RendezvousUnavailableError), never hangs; every link the initiator got a bucket id for is found
 * exactly once in that bucket by its accepter (who retries only on typed errors) by the end of
 * the run; no sealed link is held twice by the store; the offers made after calm all succeed.
 *
 * The links are sealed once per process, at load, at the insecure test strength (the sim only
 * needs their bytes: opening by passphrase is checked at load and by the specs); the trace
 * counts hops, never their contents, so one seed gives one trace.
 */
import { startTree } from '../index.ts';
import type { Scenario, SimWorld, Violation } from '../index.ts';
import type { ActorDefinition, AnyProtocol, SupervisorSpec } from '../../index.ts';
import {
  actorRendezvous,
  bucketHash,
  BucketRefusedError,
  checkBucketId,
  decodeBucketId,
  INSECURE_TEST_STRENGTH,
  MemoryBucketStore,
  openLink,
  RendezvousProtocol,
  rendezvousTree,
  RendezvousUnavailableError,
  sealLink,
  StoreUnavailableError,
  type AddResult,
  type BucketStore,
  type StoredLink,
} from '../../actors/rendezvous/index.ts';

/** Offers made while faults happen, and after calm (these must all succeed). */
const OFFERS = 24;
const AFTER_CALM = 4;
const CALM_AT = 2_000;
/** The parties' wait for the server: longer than the server's store deadline, so its refusal comes first when it can. */
const ASK_TIMEOUT_MS = 400;
const STORE_TIMEOUT_MS = 150;

const sealed = await (async () => {
  const links: { bytes: Buffer; passphrase: string }[] = [];
  for (let n = 0; n < OFFERS + AFTER_CALM; n += 1) {
    const passphrase = `passphrase ${n}`;
    links.push({ bytes: await sealLink({ host: 'msg.example', port: 443, linkId: `link-${n}` }, passphrase, INSECURE_TEST_STRENGTH), passphrase });
  }
  // What the accepter's search would find: each opens with its own passphrase, and not with the next's.
  for (const [n, { bytes, passphrase }] of links.entries()) {
    if ((await openLink(bytes, passphrase, INSECURE_TEST_STRENGTH))?.linkId !== `link-${n}`) throw new Error(`sim: link ${n} does not open`);
    if (await openLink(bytes, links[(n + 1) % links.length]!.passphrase, INSECURE_TEST_STRENGTH)) throw new Error(`sim: link ${n} opens with another passphrase`);
  }
  return links;
})();

type OfferOutcome = { kind: 'bucket'; hash: Buffer; at: number } | { kind: 'typed'; code: string } | { kind: 'wrong'; detail: string };
interface Offer {
  outcome?: OfferOutcome;
  /** How many times the accepter saw its link in the bucket, per successful fetch. */
  seen: number[];
  fetchErrors: number;
  wrong: string[];
}

interface Run {
  offers: Offer[];
  store: FlakyStore;
}

const runs = new WeakMap<SimWorld, Run>();

/** A MemoryBucketStore that fails while `down` (half its calls hang then) and, before calm, at a seeded rate. */
class FlakyStore implements BucketStore {
  readonly inner = new MemoryBucketStore();
  down = false;
  /** Links the store took (each sealed link at most once: the same bytes again are a duplicate). */
  added = 0;

  constructor(private readonly world: SimWorld) {}

  add(entry: StoredLink): Promise<AddResult> {
    return this.flaky(async () => {
      const result = await this.inner.add(entry);
      if (result === 'added') this.added += 1;
      return result;
    });
  }
  links(hash: Uint8Array, now: number): Promise<Buffer[]> {
    return this.flaky(() => this.inner.links(hash, now));
  }
  expire(now: number): Promise<number> {
    return this.flaky(() => this.inner.expire(now));
  }
  size(now: number): Promise<number> {
    return this.inner.size(now);
  }

  private flaky<T>(work: () => Promise<T>): Promise<T> {
    if (this.down) return this.world.random.int(2) === 0 ? new Promise<T>(() => {}) : Promise.reject(new StoreUnavailableError('the database is down'));
    if (this.world.now < CALM_AT && this.world.random.next() < 0.05) return Promise.reject(new StoreUnavailableError('a query failed'));
    return work();
  }
}

const TYPED = (error: unknown) => error instanceof BucketRefusedError || error instanceof RendezvousUnavailableError;
const codeOf = (error: unknown) => (error instanceof BucketRefusedError ? error.refusal : error instanceof RendezvousUnavailableError ? error.failure : String(error));

function accept(world: SimWorld, run: Run, server: ReturnType<typeof actorRendezvous>, index: number, hash: Buffer): void {
  const offer = run.offers[index]!;
  void server.fetch(hash).then(
    (links) => {
      const own = sealed[index]!.bytes;
      offer.seen.push(links.filter((link) => own.equals(link)).length);
    },
    (error: unknown) => {
      offer.fetchErrors += 1;
      if (!TYPED(error)) offer.wrong.push(`fetch: ${String(error)}`);
      world.at(world.now + 100 + world.random.int(100), () => accept(world, run, server, index, hash));
    },
  );
}

function offer(world: SimWorld, run: Run, server: ReturnType<typeof actorRendezvous>, index: number): void {
  const state = run.offers[index]!;
  void server.store(sealed[index]!.bytes).then(
    (id) => {
      try {
        const bucket = decodeBucketId(id)!;
        checkBucketId(bucket, world.now);
        const hash = bucketHash(bucket);
        state.outcome = { kind: 'bucket', hash, at: world.now };
        world.at(world.now + 50 + world.random.int(500), () => accept(world, run, server, index, hash));
      } catch (error) {
        state.outcome = { kind: 'wrong', detail: `the bucket id: ${String(error)}` };
      }
    },
    (error: unknown) => {
      state.outcome = TYPED(error) ? { kind: 'typed', code: codeOf(error) } : { kind: 'wrong', detail: String(error) };
    },
  );
}

function crashable(world: SimWorld, tree: SupervisorSpec, id: string): void {
  world.crashable(tree.children.find((c) => c.id === id)!.start as ActorDefinition<AnyProtocol>);
}

export const rendezvousScenario: Scenario = {
  name: 'rendezvous',
  description: 'initiators store sealed links, accepters fetch their buckets by hash; drops, a partition, a server crash, a failing and a dead store',
  world: {
    transport: 'durable',
    calmAt: CALM_AT,
    settleWithinMs: 6_000,
    faults: { drop: 0.02, duplicate: 0.02, reorder: 0.05, delay: { kind: 'exponential', meanMs: 4, maxMs: 60 } },
  },
  setup(world) {
    const store = new FlakyStore(world);
    const run: Run = { offers: Array.from({ length: OFFERS + AFTER_CALM }, () => ({ seen: [], fetchErrors: 0, wrong: [] })), store };
    runs.set(world, run);
    // Bursts and rates high enough that the faults, not the bounds, decide (the bounds have their specs); links live past the run.
    const tree = rendezvousTree({ store, server: { storeBurst: 1_000, fetchBurst: 1_000, ttlMs: 600_000, sweepIntervalMs: 0, storeTimeoutMs: STORE_TIMEOUT_MS, maxLinks: 8 } });
    crashable(world, tree, 'server');
    world.addNode('rendezvous', (node) => {
      world.watchSupervisor('rendezvous', tree as never);
      startTree(node.system, tree, 'rendezvous');
    });
    const parties = world.addNode('parties', () => {});
    const server = () => actorRendezvous(parties.system.ref('rendezvous/server', RendezvousProtocol), { timeoutMs: ASK_TIMEOUT_MS });
    for (let index = 0; index < OFFERS; index += 1) world.at(50 + world.random.int(1_800), () => offer(world, run, server(), index));
    for (let index = OFFERS; index < OFFERS + AFTER_CALM; index += 1) world.at(CALM_AT + 500 + world.random.int(500), () => offer(world, run, server(), index));

    // Sweeps at seeded moments (a periodic timer would keep the world from going idle), failing with the store.
    for (let sweep = 0; sweep < 4; sweep += 1) world.at(100 + world.random.int(3_000), () => void parties.system.ref('rendezvous/server', RendezvousProtocol).tell('sweep', {}).catch(() => {}));
    // The server crashes on the next message it handles after a seeded moment.
    world.at(200 + world.random.int(1_500), () => world.crashActor('rendezvous/server'));
    // The database goes down for a while.
    const downAt = 100 + world.random.int(1_400);
    world.at(downAt, () => (store.down = true));
    world.at(downAt + 50 + world.random.int(400), () => (store.down = false));
    // The parties lose the broker for a while.
    const cutAt = 100 + world.random.int(1_400);
    world.schedule([
      { at: cutAt, kind: 'partition', sides: [['parties'], ['broker', 'rendezvous']] },
      { at: cutAt + 50 + world.random.int(300), kind: 'heal' },
    ]);
  },
  check(world) {
    const { offers, store } = runs.get(world)!;
    const out: Violation[] = [];
    const violation = (invariant: string, detail: string) => out.push({ invariant, detail, subjects: [] });
    offers.forEach((offer, index) => {
      const outcome = offer.outcome;
      if (!outcome) violation('rendezvous-offer-answered', `offer ${index} never got a bucket id or a typed error`);
      else if (outcome.kind === 'wrong') violation('rendezvous-typed', `offer ${index}: ${outcome.detail}`);
      else if (outcome.kind === 'typed' && index >= OFFERS) violation('rendezvous-after-calm', `offer ${index}, after calm, was refused ${outcome.code}`);
      for (const wrong of offer.wrong) violation('rendezvous-typed', `offer ${index}: ${wrong}`);
      if (outcome?.kind !== 'bucket') return;
      if (offer.seen.length === 0) violation('rendezvous-found', `offer ${index}'s accepter never got its bucket (${offer.fetchErrors} typed errors)`);
      if (offer.seen.some((times) => times !== 1)) violation('rendezvous-found-once', `offer ${index}'s accepter saw its link ${offer.seen.join(', ')} times`);
    });
    // The store never takes a link twice (a duplicated or redelivered store is refused DUPLICATE).
    if (store.added > offers.length) violation('rendezvous-store-once', `the store took ${store.added} links for ${offers.length} offers`);
    return out;
  },
};
