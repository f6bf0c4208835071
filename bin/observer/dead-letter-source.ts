import type { DeadLetter, DeadLetterQueue, RequeueOutcome } from '../../transports/rabbitmq/index.ts';

/** A namespace's dead letters as the observer reads and requeues them (over the broker only). */
export interface DeadLetterSource {
  list(): Promise<DeadLetter[]>;
  /** Every dead letter back to its actor, or only the one whose id is `id`. */
  requeue(id?: string): Promise<RequeueOutcome>;
  close(): Promise<void>;
}

/**
 * The dead-letter queue of a namespace, over one connection kept open between reads (read every
 * few seconds: no connection churn on a shared broker). Until a node of the namespace declared
 * the queue there is none, and the list is empty; a failed read drops the connection, and the
 * next read opens a fresh one. One request at a time: `list` and `requeue` share the channel.
 */
export function brokerDeadLetters(url: string, namespace: string, timeoutMs: number): DeadLetterSource {
  let opened: Promise<DeadLetterQueue | undefined> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const open = async (): Promise<DeadLetterQueue | undefined> => {
    const { DeadLetterQueue, NoDeadLetterQueueError } = await import('../../transports/rabbitmq/index.ts');
    try {
      return await DeadLetterQueue.open(url, namespace, timeoutMs);
    } catch (error) {
      if (error instanceof NoDeadLetterQueueError) return undefined;
      throw error;
    }
  };
  const drop = async () => {
    const stale = opened;
    opened = undefined;
    await (await stale?.catch(() => undefined))?.close().catch(() => {});
  };
  const withQueue = <T>(use: (dlq: DeadLetterQueue) => Promise<T>, none: T): Promise<T> => {
    const next = queue.then(async () => {
      opened ??= open();
      let dlq: DeadLetterQueue | undefined;
      try {
        dlq = await opened;
        if (dlq === undefined) {
          opened = undefined; // not declared yet: look again next time
          return none;
        }
        return await use(dlq);
      } catch (error) {
        await drop();
        throw error;
      }
    });
    queue = next.catch(() => {});
    return next;
  };
  return {
    list: () => withQueue((dlq) => dlq.list(), []),
    requeue: (id) => withQueue((dlq) => dlq.requeue(id === undefined ? undefined : (letter) => letter.id === id), { moved: [], kept: [] }),
    close: () => (queue = queue.then(drop)) as Promise<void>,
  };
}
