/** The PostgreSQL dedupe store's defaults, each with the reason for its value. */

/** The table of handled ids when none is named: prefixed, so it is plainly airlock's in a shared database. */
export const DEFAULT_DEDUPE_TABLE = 'airlock_handled';

/**
 * How long a handled id is kept (24 h). A redelivery the store must catch comes back as soon as
 * a consumer of the queue runs again (a crash between commit and ack, a publisher's resend after
 * a lost confirm): a day covers a consumer left down overnight. The table holds about
 * rate × retention rows (86 M a day at 1,000 messages a second), so a busy system picks its own.
 */
export const DEDUPE_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Claims one mailbox holds at once (2): the next message's BEGIN and INSERT overlap the current
 * handler and its COMMIT, which hides most of the store's extra round trips behind the commit's
 * WAL flush; each holds a pool client, so a pool needs two per mailbox using the store.
 */
export const DEDUPE_CLAIMS_PER_MAILBOX = 2;

/** How often ids older than the retention are deleted (1 min): each pass deletes a minute's worth, a short DELETE on the handled_at index. */
export const DEDUPE_PRUNE_EVERY_MS = 60_000;

/** A table name: a plain lower-case identifier, optionally schema-qualified, so it is never quoted into SQL unchecked. */
export const TABLE_NAME = /^[a-z_][a-z0-9_]{0,40}(\.[a-z_][a-z0-9_]{0,40})?$/;
