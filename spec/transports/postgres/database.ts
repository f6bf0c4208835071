/**
 * Shared helpers of the PostgreSQL specs: the server's address, a table prefix no other run
 * uses, and dropping what a run made. The specs need the real server; when it is unreachable
 * they fail (they never skip).
 */
import pg from 'pg';

export const PG_CONFIG = { host: process.env.AIRLOCK_PG_HOST ?? '127.0.0.1', port: Number(process.env.AIRLOCK_PG_PORT ?? 5432), user: 'postgres', database: 'test' };

/** A table-name prefix of this run (lower case: a plain identifier). */
export function uniqueTable(label: string): string {
  return `airlock_spec_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export function newPool(options: Partial<pg.PoolConfig> = {}): pg.Pool {
  const pool = new pg.Pool({ ...PG_CONFIG, max: 4, ...options });
  pool.on('error', () => {});
  return pool;
}

/** Fails loudly, with what to do, when the server is down. */
export async function requirePostgres(): Promise<void> {
  const client = new pg.Client(PG_CONFIG);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL is unreachable at ${PG_CONFIG.host}:${PG_CONFIG.port} (database '${PG_CONFIG.database}', user postgres): ${String(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops the tables of this run whose names start with `prefix`. */
export async function dropTables(prefix: string): Promise<void> {
  const client = new pg.Client(PG_CONFIG);
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE $1`, [`${prefix}%`]);
    for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS ${tablename}`);
  } finally {
    await client.end();
  }
}
