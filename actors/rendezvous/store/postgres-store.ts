import { StoreUnavailableError } from '../errors.ts';
import type { AddResult, BucketStore, StoredLink } from './bucket-store.ts';

/**
 * What the store needs of PostgreSQL: a `pg.Pool` (or `pg.Client`) satisfies it. The composition
 * root makes the pool (and listens for its idle clients' `'error'`), so the actor opens no socket.
 */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** A table name, optionally schema-qualified, in lowercase SQL identifiers: it is put in the SQL as is. */
const TABLE = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/**
 * Buckets in a PostgreSQL table, so they survive the server's restart and its process's. The
 * table is made on first use (idempotently, so a database that was down is set up once it is
 * back):
 *
 *   bucket_hash bytea, slot smallint, link bytea UNIQUE, expires_at bigint,
 *   PRIMARY KEY (bucket_hash, slot)  -- the index a fetch by hash uses
 *   INDEX (expires_at)               -- the sweep's
 *
 * Every failure (connection lost, database down, a query refused) is a StoreUnavailableError.
 */
export class PostgresBucketStore implements BucketStore {
  private readonly table: string;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    options: { table?: string } = {},
  ) {
    const table = options.table ?? 'rendezvous_links';
    if (!TABLE.test(table)) throw new TypeError(`table must be a lowercase SQL identifier, optionally schema-qualified, not ${JSON.stringify(table)}`);
    this.table = table;
  }

  async add({ hash, slot, link, expiresAt }: StoredLink): Promise<AddResult> {
    const inserted = await this.query(
      `INSERT INTO ${this.table} (bucket_hash, slot, link, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [Buffer.from(hash), slot, Buffer.from(link), expiresAt],
    );
    if (inserted.rowCount === 1) return 'added';
    // Which constraint held it back: these bytes elsewhere, or the slot.
    const same = await this.query(`SELECT 1 FROM ${this.table} WHERE link = $1`, [Buffer.from(link)]);
    return same.rows.length > 0 ? 'duplicate' : 'taken';
  }

  async links(hash: Uint8Array, now: number): Promise<Buffer[]> {
    const found = await this.query(`SELECT link FROM ${this.table} WHERE bucket_hash = $1 AND expires_at > $2 ORDER BY slot`, [Buffer.from(hash), now]);
    return found.rows.map((row) => row.link as Buffer);
  }

  async expire(now: number): Promise<number> {
    return (await this.query(`DELETE FROM ${this.table} WHERE expires_at <= $1`, [now])).rowCount ?? 0;
  }

  async size(now: number): Promise<number> {
    const counted = await this.query(`SELECT count(*) AS n FROM ${this.table} WHERE expires_at > $1`, [now]);
    return Number(counted.rows[0]?.n ?? 0);
  }

  /** Creates the table and its indexes if they are not there (once per store, again after a failure). */
  private ensureTable(): Promise<void> {
    const index = `${this.table.split('.').at(-1)}_expires_at`;
    this.ready ??= (async () => {
      await this.db.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
          bucket_hash bytea NOT NULL CHECK (octet_length(bucket_hash) = 32),
          slot smallint NOT NULL CHECK (slot >= 0),
          link bytea NOT NULL UNIQUE CHECK (octet_length(link) = 240),
          expires_at bigint NOT NULL,
          PRIMARY KEY (bucket_hash, slot)
        )`,
      );
      await this.db.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${this.table} (expires_at)`);
    })();
    return this.ready.catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
  }

  private async query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }> {
    try {
      await this.ensureTable();
      return await this.db.query(text, values);
    } catch (error) {
      throw new StoreUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}
