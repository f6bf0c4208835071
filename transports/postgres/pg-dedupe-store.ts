import { realClock, type Address, type Clock, type DedupeClaim, type DurableDedupe, type Envelope, type Timer } from '../../lib/index.ts';
import { DedupeStoreUnavailableError, InvalidDedupeTableError, NoDedupeTransactionError } from './errors.ts';
import { DEDUPE_CLAIMS_PER_MAILBOX, DEDUPE_PRUNE_EVERY_MS, DEDUPE_RETENTION_MS, DEFAULT_DEDUPE_TABLE, TABLE_NAME } from './limits.ts';
import { CheckedOutClient } from './checked-out-client.ts';
import type { PgClient, PgPool } from './pg-types.ts';
import { TransactionClaim } from './transaction-claim.ts';

/**
 * When a handled id is recorded, against the handler's effects:
 * - `same-transaction` (the default): the id is inserted in a transaction opened before the
 *   handler and committed after it; the handler writes in that transaction
 *   (`store.transaction(envelope)`), so its writes and the record commit together or not at all.
 *   Effects written elsewhere are handled at least once: a crash after them and before the
 *   commit hands the message out again.
 * - `insert-then-handle`: the id is inserted (committed) before the handler runs, no transaction
 *   held: effects written elsewhere happen at most once; a crash between the insert and the
 *   effect loses the message for the handler.
 */
export type DedupeMode = 'same-transaction' | 'insert-then-handle';

export interface PgDedupeOptions {
  /** The application's `pg.Pool`; a claim in `same-transaction` mode holds one of its clients until its handler finished. */
  pool: PgPool;
  /** The table of handled ids, created if missing; `airlock_handled`. */
  table?: string;
  mode?: DedupeMode;
  /** How long a handled id is kept (`DEDUPE_RETENTION_MS`, 24 h): a redelivery later than this is handled again. */
  retentionMs?: number;
  /** How often older ids are deleted (`DEDUPE_PRUNE_EVERY_MS`); 0 never (prune yourself with `prune()`). */
  pruneEveryMs?: number;
  /** Claims a mailbox holds at once (`DEDUPE_CLAIMS_PER_MAILBOX`, 2), each a pool client in `same-transaction` mode. */
  claimsPerMailbox?: number;
  /** Time for `handled_at` and the pruning timer: the system's Clock port. */
  clock?: Clock;
  /** Told each failure (a typed `DedupeStoreUnavailableError`), as it happens: for a log or a metric. */
  onError?: (error: DedupeStoreUnavailableError) => void;
}

/**
 * A durable dedupe store in PostgreSQL: one row per handled message, keyed by address and
 * envelope id, inserted `ON CONFLICT DO NOTHING` so that zero rows inserted means "handled
 * before". Give it to the RabbitMQ transport (`connectRabbit({ dedupe: () => store })`) and a
 * message is handled once across a `kill -9` of its consumer: a crash before the commit rolls
 * the record back with the handler's writes, a crash after it leaves a record that drops the
 * redelivery. A handler writes in the same transaction with `store.transaction(ctx.envelope)`.
 */
export class PgDedupeStore implements DurableDedupe {
  readonly mode: DedupeMode;
  readonly claimsAtOnce: number;
  private readonly table: string;
  private readonly pool: PgPool;
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly pruneEveryMs: number;
  /** The open transaction of each message being handled (`same-transaction`). */
  private readonly open = new WeakMap<Envelope, PgClient>();
  private setup: Promise<void> | undefined;
  private pruning: Timer | undefined;
  private closed = false;
  /** Failures so far, by step (also told to `onError`). */
  readonly failures = { setup: 0, claim: 0, commit: 0, prune: 0 };

  constructor(private readonly options: PgDedupeOptions) {
    const table = options.table ?? DEFAULT_DEDUPE_TABLE;
    if (!TABLE_NAME.test(table)) throw new InvalidDedupeTableError(table);
    this.table = table;
    this.pool = options.pool;
    this.mode = options.mode ?? 'same-transaction';
    this.claimsAtOnce = Math.max(1, options.claimsPerMailbox ?? DEDUPE_CLAIMS_PER_MAILBOX);
    this.clock = options.clock ?? realClock;
    this.retentionMs = options.retentionMs ?? DEDUPE_RETENTION_MS;
    this.pruneEveryMs = options.pruneEveryMs ?? DEDUPE_PRUNE_EVERY_MS;
    // An idle client whose connection breaks is reported on the pool: without a listener, the process would die of it.
    if (!LISTENED.has(this.pool)) this.pool.on('error', () => {});
    LISTENED.add(this.pool);
  }

  /** Creates the table and its index if missing (idempotent, safe from many processes at once); claims do it first anyway. */
  ready(): Promise<void> {
    this.setup ??= this.createTable().catch((error: unknown) => {
      this.setup = undefined;
      throw this.failed('setup', error);
    });
    return this.setup;
  }

  async claim(address: Address, envelope: Envelope): Promise<DedupeClaim | undefined> {
    await this.ready();
    this.schedulePrune();
    return this.mode === 'same-transaction' ? this.claimInTransaction(address, envelope) : this.claimAtOnce(address, envelope);
  }

  /**
   * The open transaction of `envelope` (the message being handled: `ctx.envelope`), a `pg`
   * client: query in it, never commit, roll back or release it (the store commits after the
   * handler returns, then the message is acknowledged; a throw rolls everything back).
   */
  transaction(envelope: Envelope | undefined): PgClient {
    const client = envelope && this.open.get(envelope);
    if (!client) throw new NoDedupeTransactionError(envelope?.id ?? '(no message)');
    return client;
  }

  /** Deletes ids older than the retention; resolves with how many. */
  async prune(): Promise<number> {
    try {
      const result = await this.pool.query(`DELETE FROM ${this.table} WHERE handled_at < $1`, [this.clock.now() - this.retentionMs]);
      return result.rowCount ?? 0;
    } catch (error) {
      throw this.failed('prune', error);
    }
  }

  /** Stops pruning. The pool stays the application's to end. */
  close(): void {
    this.closed = true;
    this.pruning?.cancel();
    this.pruning = undefined;
  }

  // ---- claims -----------------------------------------------------------------------------

  private async claimInTransaction(address: Address, envelope: Envelope): Promise<DedupeClaim | undefined> {
    let out: CheckedOutClient | undefined;
    let inserted: boolean;
    try {
      out = await CheckedOutClient.from(this.pool);
      await out.client.query('BEGIN');
      inserted = await this.insert(out.client, address, envelope);
      if (!inserted) await out.client.query('ROLLBACK');
    } catch (error) {
      out?.release(error);
      throw this.failed('claim', error);
    }
    if (!inserted) return void out.release();
    this.open.set(envelope, out.client);
    return new TransactionClaim(out, () => this.open.delete(envelope), (cause) => this.failed('commit', cause));
  }

  private async claimAtOnce(address: Address, envelope: Envelope): Promise<DedupeClaim | undefined> {
    let inserted: boolean;
    try {
      inserted = await this.insert(this.pool, address, envelope);
    } catch (error) {
      throw this.failed('claim', error);
    }
    if (!inserted) return undefined;
    // No lostWith: no transaction of the store's is open while the handler runs, so its failure,
    // whatever the cause, is the handler's: dead-lettered (visible), not retried behind a record that says handled.
    return {
      commit: () => Promise.resolve(),
      // Not handled after all: the record goes, so a delivery again is handled (if the database answers).
      release: () =>
        this.pool.query(`DELETE FROM ${this.table} WHERE address = $1 AND id = $2`, [address, envelope.id]).then(
          () => {},
          () => {},
        ),
    };
  }

  /** Records the id; false when it was there already (handled before, or being handled in an open transaction that then commits). */
  private async insert(client: { query: PgClient['query'] }, address: Address, envelope: Envelope): Promise<boolean> {
    const result = await client.query(`INSERT INTO ${this.table} (address, id, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [address, envelope.id, this.clock.now()]);
    return result.rowCount === 1;
  }

  // ---- upkeep -----------------------------------------------------------------------------

  private async createTable(): Promise<void> {
    const out = await CheckedOutClient.from(this.pool);
    const { client } = out;
    try {
      await client.query('BEGIN');
      // CREATE ... IF NOT EXISTS races with itself across processes (a unique violation on the catalog): one at a time.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`airlock dedupe ${this.table}`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (address text NOT NULL, id text NOT NULL, handled_at bigint NOT NULL, PRIMARY KEY (address, id))`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.table.replace('.', '_')}_handled_at ON ${this.table} (handled_at)`);
      await client.query('COMMIT');
      out.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      out.release(error);
      throw error;
    }
  }

  private schedulePrune(): void {
    if (this.pruning || this.closed || this.pruneEveryMs <= 0) return;
    this.pruning = this.clock.setTimer(this.pruneEveryMs, () => {
      // A failed pass is counted and told; the next one catches up.
      void this.prune()
        .catch(() => {})
        .finally(() => {
          this.pruning = undefined;
          this.schedulePrune();
        });
    });
  }

  private failed(step: DedupeStoreUnavailableError['step'], cause: unknown): DedupeStoreUnavailableError {
    const error = cause instanceof DedupeStoreUnavailableError ? cause : new DedupeStoreUnavailableError(step, cause);
    if (error === cause) return error;
    this.failures[step]++;
    this.options.onError?.(error);
    return error;
  }
}

/** The pools a store listens to already (one listener each, however many stores share it). */
const LISTENED = new WeakSet<PgPool>();
