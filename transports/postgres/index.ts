export { PgDedupeStore, type PgDedupeOptions, type DedupeMode } from './pg-dedupe-store.ts';
export type { PgPool, PgClient, PgQueryable, PgQueryResult } from './pg-types.ts';
export { DEFAULT_DEDUPE_TABLE, DEDUPE_RETENTION_MS, DEDUPE_PRUNE_EVERY_MS, DEDUPE_CLAIMS_PER_MAILBOX } from './limits.ts';
export * from './errors.ts';
