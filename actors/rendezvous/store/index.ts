/** The store port and its two stores: in memory (the embedded default) and PostgreSQL. */
export type { AddResult, BucketStore, StoredLink } from './bucket-store.ts';
export { MemoryBucketStore } from './memory-store.ts';
export { PostgresBucketStore, type Queryable } from './postgres-store.ts';
