import { AirlockError, errorMessage } from '../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../lib/wire-errors.ts';

// The errors the PostgreSQL dedupe store reports, registered at load so `errorFromWire` rebuilds them in any process.

/**
 * The dedupe store could not claim or record a handled id (the database is unreachable, the
 * connection broke, a commit failed). The delivery it was about is neither handled nor
 * acknowledged: it stays in its queue and is claimed again after a backoff.
 */
export class DedupeStoreUnavailableError extends AirlockError {
  constructor(readonly step: 'claim' | 'commit' | 'setup' | 'prune', cause?: unknown) {
    super('DEDUPE_STORE_UNAVAILABLE', `the PostgreSQL dedupe store failed to ${step}: ${errorMessage(cause)}`, { cause });
  }
}

/** A handler asked for the transaction of a message this store holds none for (not claimed by it, or claimed with `insert-then-handle`). */
export class NoDedupeTransactionError extends AirlockError {
  constructor(readonly envelopeId: string) {
    super('NO_DEDUPE_TRANSACTION', `no open dedupe transaction for message ${envelopeId.slice(0, 100)}: is the mailbox's dedupe store this one, in 'same-transaction' mode, and is the message the one being handled?`);
  }
}

/** A dedupe table name that is not a plain (optionally schema-qualified) lower-case identifier. */
export class InvalidDedupeTableError extends AirlockError {
  constructor(readonly table: string) {
    super('INVALID_DEDUPE_TABLE', `dedupe table name '${table.slice(0, 100)}' is not a plain lower-case identifier (optionally schema.table)`);
  }
}

const POSTGRES_ERRORS = defineWireErrors({
  DEDUPE_STORE_UNAVAILABLE: DedupeStoreUnavailableError,
  NO_DEDUPE_TRANSACTION: NoDedupeTransactionError,
  INVALID_DEDUPE_TABLE: InvalidDedupeTableError,
});

declare module '../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof POSTGRES_ERRORS> {}
}
