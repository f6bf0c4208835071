import { z } from 'zod';
import { defineActor, type ActorDefinition } from '../../../lib/actor.ts';
import type { Clock } from '../../../lib/ports/clock.ts';
import { StoreUnavailableError } from '../errors.ts';
import { STORE_TIMEOUT_MS, SWEEP_INTERVAL_MS } from '../limits.ts';
import type { AddResult, BucketStore } from '../store/bucket-store.ts';
import { encodeBucketId } from '../wire/bucket-id.ts';
import { BucketRules, DEFAULT_BUCKET_LIMITS } from './bucket-rules.ts';
import { RendezvousProtocol } from './protocol.ts';
import type { RefusalCode } from './refusals.ts';

const d = DEFAULT_BUCKET_LIMITS;
const Positive = z.number().int().positive();
export const RendezvousServerConfig = z
  .strictObject({
    maxLinks: Positive.max(1_000).default(d.maxLinks),
    openMs: Positive.default(d.openMs),
    maxPerSecond: Positive.max(65_536).default(d.maxPerSecond),
    ttlMs: Positive.default(d.ttlMs),
    storeBurst: Positive.default(d.storeBurst),
    storesPerSecond: z.number().positive().default(d.storesPerSecond),
    fetchBurst: Positive.default(d.fetchBurst),
    fetchesPerSecond: z.number().positive().default(d.fetchesPerSecond),
    maxSources: Positive.default(d.maxSources),
    /** 0: no periodic sweep (reads skip expired links anyway; someone else sends `sweep`, or the database is swept by its own job). */
    sweepIntervalMs: z.number().int().nonnegative().default(SWEEP_INTERVAL_MS),
    storeTimeoutMs: Positive.default(STORE_TIMEOUT_MS),
  })
  .prefault({});
export type RendezvousServerConfigInput = z.input<typeof RendezvousServerConfig>;

type Refused = { ok: false; code: RefusalCode };

/** `work`, or a StoreUnavailableError once `timeoutMs` passed on the clock (a dead connection may otherwise hold a query for minutes). */
function withinDeadline<T>(clock: Clock, timeoutMs: number, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(timeoutMs, () => reject(new StoreUnavailableError(`no answer within ${timeoutMs} ms`)));
    work.then(
      (value) => (timer.cancel(), resolve(value)),
      (error: unknown) => (timer.cancel(), reject(error)),
    );
  });
}

/**
 * The rendezvous server: the `BucketRules` on the Clock port in front of a store. It sees sealed
 * links, bucket ids and hashes, never a plaintext link or a passphrase. A store that fails or is
 * slow refuses that request STORE_UNAVAILABLE and crashes nothing; the store lives outside the
 * actor, so a restart loses nothing the store kept (an embedded store: nothing while the process
 * lives; PostgreSQL: nothing at all). Stores are handled one at a time, in order (the slot of
 * each is the rules'); fetches answer as the store does, many at once.
 */
export function rendezvousServerActor(deps: { store: BucketStore }): ActorDefinition<RendezvousProtocol, z.output<typeof RendezvousServerConfig>, RendezvousServerConfigInput> {
  return defineActor({
    protocol: RendezvousProtocol,
    config: RendezvousServerConfig,
    setup(ctx) {
      const { sweepIntervalMs, storeTimeoutMs, ...limits } = ctx.config;
      const rules = new BucketRules(ctx.clock, limits);
      const store = deps.store;
      const call = <T>(work: () => Promise<T>) => withinDeadline(ctx.clock, storeTimeoutMs, Promise.resolve().then(work));
      const refused = (code: RefusalCode): Refused => ({ ok: false, code });
      const unavailable = (error: unknown): Refused => {
        ctx.log.warn({ error: String(error) }, 'the bucket store failed');
        return refused(rules.refuse('STORE_UNAVAILABLE'));
      };
      const sourceOf = (source: string | undefined) => source ?? ctx.envelope?.from ?? 'unknown';
      if (sweepIntervalMs > 0) ctx.timers.startPeriodic('sweep', sweepIntervalMs, 'sweep', {});

      const storeLink = async (link: Uint8Array, source: string) => {
        const refusal = rules.admitStore(source, link);
        if (refusal) return refused(refusal);
        // A slot an earlier incarnation filled (`taken`) moves on to the next bucket, at most one per sequence number.
        for (;;) {
          const placement = rules.place();
          if (placement === 'BUSY') return refused('BUSY');
          let result: AddResult;
          try {
            result = await call(() => store.add({ hash: placement.hash, slot: placement.slot, link, expiresAt: placement.expiresAt }));
          } catch (error) {
            return unavailable(error);
          }
          if (result === 'added') {
            rules.added(placement);
            return { ok: true as const, bucket: encodeBucketId(placement.id) };
          }
          if (result === 'taken') rules.taken(placement);
          else return refused(rules.refuse(result === 'duplicate' ? 'DUPLICATE' : 'STORE_FULL'));
        }
      };

      const fetchBucket = async (hash: Uint8Array, source: string) => {
        const refusal = rules.admitFetch(source, hash);
        if (refusal) return refused(refusal);
        try {
          return { ok: true as const, links: await call(() => store.links(hash, ctx.clock.now())) };
        } catch (error) {
          return unavailable(error);
        }
      };

      return {
        store: ({ link, source }) => storeLink(link, sourceOf(source)),
        fetch: ({ hash, source }) => ctx.replyLater(fetchBucket(hash, sourceOf(source))),
        sweep: async () => {
          try {
            const gone = await call(() => store.expire(ctx.clock.now()));
            if (gone > 0) ctx.log.info({ gone }, 'expired links deleted');
          } catch (error) {
            ctx.log.warn({ error: String(error) }, 'the sweep could not reach the store; the next one tries again');
          }
        },
        status: async () => ({ ...rules.figures(), links: await call(() => store.size(ctx.clock.now())).catch(() => null) }),
      };
    },
  });
}
