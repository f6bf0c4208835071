import type { PgClient, PgPool } from './pg-types.ts';

/**
 * A client checked out of the pool for one transaction. While it is out it is listened to: the
 * pool stops listening to a client it hands out, and a broken connection is an 'error' event,
 * which unheard would end the process. Released once, with the error that ended it if any (the
 * pool then discards the client rather than hand its broken connection out again).
 */
export class CheckedOutClient {
  /** Its connection broke while it was out. */
  lost = false;
  private released = false;
  private readonly broken = (): void => void (this.lost = true);

  private constructor(readonly client: PgClient) {
    client.on('error', this.broken);
  }

  static async from(pool: PgPool): Promise<CheckedOutClient> {
    return new CheckedOutClient(await pool.connect());
  }

  release(error?: unknown): void {
    if (this.released) return;
    this.released = true;
    this.client.off('error', this.broken);
    this.client.release(error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
  }
}
