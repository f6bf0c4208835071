import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { address as checkAddress, errorMessage } from '../../lib/index.ts';
import { BrokerUnavailableError, NoDeadLetterQueueError } from './errors.ts';
import { DEAD_LETTER_HEADERS, deadLetterQueueName, queueName } from './names.ts';
import { HEADERS_DROPPED } from './dead-letters.ts';

/** One dead letter as `list` shows it: why, from where, and the bytes' size. */
export interface DeadLetter {
  reason: string;
  error: string;
  address: string;
  attempts: string | undefined;
  bytes: number;
  /** The message's id (its envelope's, as the transport publishes it), when it has one: what `requeue` can pick it by. */
  id?: string;
}

export interface RequeueOutcome {
  /** Republished (confirmed by the broker) and removed from the dead-letter queue. */
  moved: { address: string; reason: string }[];
  /** Left in the dead-letter queue, with why. */
  kept: { address: string; why: string }[];
}

/** Headers that only describe the dead-lettering: not carried back to the original queue. */
const DEAD_LETTER_ONLY = new Set<string>([...Object.values(DEAD_LETTER_HEADERS), HEADERS_DROPPED]);

/**
 * A namespace's dead-letter queue, read and emptied with plain AMQP: `get` without auto-ack, so
 * nothing is removed before it is safe elsewhere; what is not acked goes back when the channel
 * lets go of it.
 */
export class DeadLetterQueue {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    readonly namespace: string,
    readonly queue: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Connects and checks the queue exists (a namespace no node ever used has none: a usage error).
   * `url` may list a cluster's nodes, comma-separated: the first that answers is used.
   */
  static async open(url: string, namespace: string, timeoutMs: number): Promise<DeadLetterQueue> {
    let connection: ChannelModel | undefined;
    let failure: unknown;
    for (const node of url.split(',').map((part) => part.trim()).filter(Boolean)) {
      try {
        connection = await amqp.connect(node, { timeout: timeoutMs, clientProperties: { connection_name: `airlock-cli:${namespace}` } });
        break;
      } catch (error) {
        failure = error;
      }
    }
    if (!connection) throw new BrokerUnavailableError(url.replace(/\/\/([^:@/]+):[^@/]*@/g, '//$1:***@'), failure);
    const queue = deadLetterQueueName(namespace);
    // A failed check closes the channel it ran on; this one is only for the check.
    const probe = await connection.createChannel();
    probe.on('error', () => {});
    try {
      await probe.checkQueue(queue);
      await probe.close();
    } catch (error) {
      await connection.close();
      throw new NoDeadLetterQueueError(queue, namespace, error);
    }
    return new DeadLetterQueue(connection, await connection.createConfirmChannel(), namespace, queue, timeoutMs);
  }

  /** Every dead letter, oldest first; the queue is left as it was. */
  async list(): Promise<DeadLetter[]> {
    const letters = (await this.takeAll()).map(describeLetter);
    this.channel.nackAll(true);
    return letters;
  }

  /**
   * Republishes each dead letter (or each one `select` picks) to the queue of its address
   * (without the dead-letter headers) and removes it only once the broker confirmed the copy
   * reached that queue. One without a valid address, or whose queue is gone, stays.
   */
  async requeue(select: (letter: DeadLetter) => boolean = () => true): Promise<RequeueOutcome> {
    const outcome: RequeueOutcome = { moved: [], kept: [] };
    for (const message of await this.takeAll()) {
      const letter = describeLetter(message);
      if (!select(letter)) continue;
      const { address, reason } = letter;
      const why = await this.republish(message, address);
      if (why === undefined) {
        this.channel.ack(message);
        outcome.moved.push({ address, reason });
      } else outcome.kept.push({ address, why });
    }
    this.channel.nackAll(true);
    return outcome;
  }

  /** Empties the queue; resolves with how many dead letters it held. */
  async purge(): Promise<number> {
    return (await this.channel.purgeQueue(this.queue)).messageCount;
  }

  async close(): Promise<void> {
    // Closing the channel first flushes its acks: a bare connection close can drop them, and the
    // dead letters would come back after being requeued.
    await this.channel.close();
    await this.connection.close();
  }

  /** Takes (unacknowledged) the dead letters there now; those that arrive meanwhile wait for the next run. */
  private async takeAll(): Promise<GetMessage[]> {
    const { messageCount } = await this.channel.checkQueue(this.queue);
    const taken: GetMessage[] = [];
    while (taken.length < messageCount) {
      const message = await this.channel.get(this.queue, { noAck: false });
      if (message === false) break;
      taken.push(message);
    }
    return taken;
  }

  /** Resolves with undefined once confirmed in the address's queue, else with why not. */
  private async republish(message: GetMessage, address: string): Promise<string | undefined> {
    try {
      checkAddress(address);
    } catch (error) {
      return errorMessage(error);
    }
    const queue = queueName(this.namespace, address);
    let returned = false;
    // The broker returns a mandatory message no queue takes, before it confirms it.
    const onReturn = () => (returned = true);
    this.channel.once('return', onReturn);
    try {
      await this.confirmed(queue, message);
    } catch (error) {
      return `the broker refused the copy: ${errorMessage(error)}`;
    } finally {
      this.channel.off('return', onReturn);
    }
    return returned ? `no queue '${queue}' (does a node still serve ${address}?)` : undefined;
  }

  private confirmed(queue: string, message: GetMessage): Promise<void> {
    const headers = Object.fromEntries(Object.entries(message.properties.headers ?? {}).filter(([name]) => !DEAD_LETTER_ONLY.has(name)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no confirm within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.channel.sendToQueue(
        queue,
        message.content,
        { persistent: true, mandatory: true, headers, messageId: message.properties.messageId, contentType: message.properties.contentType },
        (error) => {
          clearTimeout(timer);
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve();
        },
      );
    });
  }
}

function describeLetter(message: GetMessage): DeadLetter {
  const header = (name: string) => {
    const value = message.properties.headers?.[name] as unknown;
    return value === undefined || value === null ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  };
  return {
    reason: header(DEAD_LETTER_HEADERS.reason) ?? '-',
    error: header(DEAD_LETTER_HEADERS.error) ?? '-',
    address: header(DEAD_LETTER_HEADERS.address) ?? '-',
    attempts: header(DEAD_LETTER_HEADERS.attempts),
    bytes: message.content.byteLength,
    ...(typeof message.properties.messageId === 'string' ? { id: message.properties.messageId } : {}),
  };
}
