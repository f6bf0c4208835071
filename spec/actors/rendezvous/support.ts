import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The shared PostgreSQL 15 of this machine (CI's `.ci/run` starts it): unreachable, the specs fail, never skip. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

/** A table name no other run (nor another engineer's spec) uses: `rdv_spec_<pid>_<random>`. */
export const uniqueTable = (): string => `rdv_spec_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A pool whose idle clients' errors (a connection cut under them) are logged, never thrown at the process. */
export function pgPool(options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...PG, max: 4, connectionTimeoutMillis: 5_000, ...options });
  pool.on('error', () => {});
  return pool;
}

/** Drops the tables a spec made. */
export async function dropTables(pool: pg.Pool, tables: string[]): Promise<void> {
  for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${table}`);
}

export const LINK = (fill: number) => Buffer.alloc(240, fill);
export const HASH = (fill: number) => Buffer.alloc(32, fill);
