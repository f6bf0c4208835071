import type { DedupeClaim } from '../../lib/index.ts';
import type { CheckedOutClient } from './checked-out-client.ts';
import { isConnectionLoss } from './connection-loss.ts';

/**
 * A claim in `same-transaction` mode: the transaction, opened before the handler with the
 * handled id inserted, that the handler writes in; committed once it finished, rolled back if not.
 */
export class TransactionClaim implements DedupeClaim {
  constructor(
    private readonly out: CheckedOutClient,
    /** The transaction ended: the store forgets it (and the handler can no longer reach it). */
    private readonly ended: () => void,
    /** A commit failed: the typed error to reject with. */
    private readonly commitFailed: (cause: unknown) => Error,
  ) {}

  async commit(): Promise<void> {
    try {
      const result = await this.out.client.query('COMMIT');
      // A transaction a handler's failed statement aborted commits as a rollback: nothing was recorded.
      if (result.command === 'ROLLBACK') throw new Error('the transaction was aborted by a failed statement: COMMIT rolled it back');
      this.end();
    } catch (error) {
      this.end(error);
      throw this.commitFailed(error);
    }
  }

  async release(): Promise<void> {
    try {
      await this.out.client.query('ROLLBACK');
      this.end();
    } catch (error) {
      this.end(error);
    }
  }

  lostWith(error: Error): boolean {
    return this.out.lost || isConnectionLoss(error);
  }

  private end(error?: unknown): void {
    this.ended();
    this.out.release(error);
  }
}
