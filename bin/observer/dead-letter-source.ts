import type { DeadLetter, DeadLetterQueue, RequeueOutcome } from '../../transports/rabbitmq/index.ts';

/** A namespace's dead letters as the observer reads and requeues them (over the broker only). */
export interface DeadLetterSource {
  list(): Promise<DeadLetter[]>;
  requeue(): Promise<RequeueOutcome>;
  close(): Promise<void>;
}

/**
 * The dead-letter queue of a namespace, opened for each request: the queue appears only once a
 * node of the namespace declared it, and a connection per request (every few seconds) is cheap.
 */
export function brokerDeadLetters(url: string, namespace: string, timeoutMs: number): DeadLetterSource {
  const withQueue = async <T>(use: (queue: DeadLetterQueue) => Promise<T>, none: T): Promise<T> => {
    const { DeadLetterQueue, NoDeadLetterQueueError } = await import('../../transports/rabbitmq/index.ts');
    let queue: DeadLetterQueue;
    try {
      queue = await DeadLetterQueue.open(url, namespace, timeoutMs);
    } catch (error) {
      if (error instanceof NoDeadLetterQueueError) return none;
      throw error;
    }
    try {
      return await use(queue);
    } finally {
      await queue.close();
    }
  };
  return {
    list: () => withQueue((queue) => queue.list(), []),
    requeue: () => withQueue((queue) => queue.requeue(), { moved: [], kept: [] }),
    close: async () => {},
  };
}
