/**
 * The part of node-postgres (`pg`) the dedupe store uses, as shapes: the store takes the
 * application's own `pg.Pool` (its settings, its credentials) and never loads `pg` itself, so
 * airlock/postgres adds no dependency and follows the application's `pg` version.
 */
export interface PgQueryResult {
  rowCount: number | null;
  command?: string;
  rows: unknown[];
}

export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<PgQueryResult>;
}

/** A client checked out of a pool: in a transaction, it is the handler's to query in. */
export interface PgClient extends PgQueryable {
  /** Back to the pool; with an error, the pool discards the client (its connection is broken). */
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgClient>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
