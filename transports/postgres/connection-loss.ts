/**
 * SQLSTATE classes and codes that mean the database went away rather than that a statement was
 * wrong: class 08 (connection exception), 57P01..57P03 (the server shut down, crashed or is
 * starting), 53300 (too many connections).
 */
const LOST_STATES = /^(08...|57P0[123]|53300)$/;

/** What Node's sockets say when the connection itself failed. */
const LOST_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** node-postgres's own words for a client whose connection is gone. */
const LOST_MESSAGES = /Connection terminated|not queryable|Client was closed|timeout exceeded when trying to connect/i;

/**
 * Whether `error` (or an error in its `cause` chain) is the database connection being lost: a
 * handler that failed of it did nothing wrong, so its message is delivered again once the
 * database is back, instead of being dead-lettered as a crash.
 */
export function isConnectionLoss(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (LOST_STATES.test(code) || LOST_ERRNOS.has(code))) return true;
  if (LOST_MESSAGES.test(error.message)) return true;
  return isConnectionLoss(error.cause, depth + 1);
}
