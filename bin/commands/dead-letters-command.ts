import { println, type CommandIo } from '../io.ts';
import { DeadLetterQueue, NoDeadLetterQueueError, type DeadLetter } from '../../transports/rabbitmq/index.ts';
import { BadUsageError } from '../errors.ts';

export interface DeadLettersArgs {
  action: 'list' | 'requeue' | 'purge';
  /** The broker (amqp://localhost when not given). */
  url?: string;
  /** The transport's namespace (`airlock` when not given). */
  namespace?: string;
  /** Bounds the connection and each confirm. */
  timeoutMs?: number;
}

/**
 * `airlock dead-letters list|requeue|purge [--amqp URL] [--namespace ns]`: what the RabbitMQ
 * transport dead-lettered in a namespace, and what to do with it. Exit code 1 when `requeue`
 * had to keep some.
 */
export async function deadLettersCommand(args: DeadLettersArgs, io: CommandIo): Promise<number> {
  const queue = await DeadLetterQueue.open(args.url ?? 'amqp://localhost', args.namespace ?? 'airlock', args.timeoutMs ?? 10_000).catch((error: unknown) => {
    // A namespace no node ever used is the caller's mistake: exit 2, as any usage error.
    throw error instanceof NoDeadLetterQueueError ? new BadUsageError(error.message) : error;
  });
  try {
    return await ACTIONS[args.action](queue, io);
  } finally {
    await queue.close();
  }
}

const ACTIONS: Record<DeadLettersArgs['action'], (queue: DeadLetterQueue, io: CommandIo) => Promise<number>> = {
  async list(queue, io) {
    const letters = await queue.list();
    letters.forEach((letter, index) => println(io.out, formatLetter(index + 1, letter)));
    println(io.out, `${count(letters.length)} in ${queue.queue}`);
    return 0;
  },
  async requeue(queue, io) {
    const { moved, kept } = await queue.requeue();
    for (const letter of moved) println(io.out, `requeued ${letter.reason} to ${letter.address}`);
    for (const letter of kept) println(io.err, `airlock: kept a dead letter for ${letter.address}: ${letter.why}`);
    println(io.out, `requeued ${moved.length}, kept ${kept.length} in ${queue.queue}`);
    return kept.length > 0 ? 1 : 0;
  },
  async purge(queue, io) {
    println(io.out, `purged ${count(await queue.purge())} from ${queue.queue}`);
    return 0;
  },
};

function formatLetter(position: number, letter: DeadLetter): string {
  const attempts = letter.attempts === undefined ? '' : `, ${letter.attempts} attempts`;
  return `${position}. ${letter.reason} ${letter.address} (${letter.bytes} bytes${attempts}): ${letter.error}`;
}

function count(n: number): string {
  return `${n} dead letter${n === 1 ? '' : 's'}`;
}
