import type { Channel, ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { decodePlain, InvalidAddressError, isId, encodePlain, MalformedFrameError, type Announcement, type Clock, type RollCallOptions, type RollCallResult } from '../../lib/index.ts';
import { redact, type ConnectionManager } from './connection-manager.ts';
import { BrokerUnavailableError } from './errors.ts';
import type { ManagedChannel } from './managed-channel.ts';

/**
 * Who runs on a namespace. RabbitMQ lists a vhost's queues only through its management plugin,
 * never over AMQP, so nodes answer a roll call instead: each process that announced nodes binds
 * one exclusive, server-named queue to the fanout exchange `<namespace>:$roll-call`; a caller
 * publishes one message there with `replyTo` its own exclusive queue, and every process answers
 * with the names of the nodes it runs. Those queues live and die with their connections, so a
 * process that is gone stops answering at once: no heartbeats, no timers, nothing to expire.
 *
 * Anyone on the vhost may call or answer. An answer only names nodes (the caller then asks each
 * one's `$control`, which the broker routes to the real node, whoever claimed it); answers are
 * sent only to server-named queues (`amq.gen-…`), which no actor's queue can be, so a forged
 * `replyTo` cannot aim a burst of answers at an actor's mailbox.
 */
export function rollCallExchange(namespace: string): string {
  return `${namespace}:$roll-call`;
}

/** How long a caller collects answers unless told otherwise: a node answers in milliseconds, a busy one within it. */
export const ROLL_CALL_WINDOW_MS = 1_000;
/** More nodes than any topology runs in one process: an answer naming more is refused whole. */
const MAX_NODES_PER_ANSWER = 256;
const MAX_ANSWER_BYTES = 64 * 1024;
/** An answer not read by then is for a caller that has given up. */
const ANSWER_TTL_MS = 10_000;
/** Roll calls waiting in a process's queue: a flood of them costs at most this many answers. */
const MAX_WAITING_CALLS = 16;
const FORMAT_VERSION = 1;
/** Only server-named queues (`assertQueue('')`) are answered. */
const SERVER_NAMED_QUEUE = /^amq\.gen-[A-Za-z0-9_-]{1,200}$/;

const exchangeOptions = { durable: true, autoDelete: false };
const privateQueue = { exclusive: true, autoDelete: true, durable: false };

/** One schema for the answer: the version, and the nodes by name. */
const Answer = z.strictObject({
  v: z.literal(FORMAT_VERSION),
  nodes: z.array(z.string().max(64)).max(MAX_NODES_PER_ANSWER),
});

export function encodeAnswer(nodes: readonly string[]): Buffer {
  return encodePlain({ v: FORMAT_VERSION, nodes });
}

/** An answer's node names, checked as addresses; anything else is a typed error (`MalformedFrameError`, `OversizedMessageError`). */
export function decodeAnswer(bytes: Uint8Array): string[] {
  const parsed = Answer.safeParse(decodePlain(bytes, MAX_ANSWER_BYTES));
  if (!parsed.success) throw new MalformedFrameError(`not a roll-call answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const impostor = parsed.data.nodes.find((node) => !isId(node));
  if (impostor !== undefined) throw new MalformedFrameError(`a roll-call answer names '${impostor}', not a node`);
  return parsed.data.nodes;
}

/**
 * The answering side, one per transport: the nodes announced here, and the channel that answers
 * for them, opened at the first announcement and re-opened (re-bound) by the connection manager
 * after every reconnect.
 */
export class RollCallAnswers {
  private readonly nodes = new Map<string, number>();
  private channel: ManagedChannel<Channel> | undefined;

  constructor(
    private readonly manager: ConnectionManager,
    private readonly namespace: string,
  ) {}

  announce(node: string): Announcement {
    if (!isId(node)) throw new InvalidAddressError(node, 'is not a node name (one segment of letters, digits, _ . ~ -, at most 64)');
    this.nodes.set(node, (this.nodes.get(node) ?? 0) + 1);
    this.channel ??= this.manager.channel<Channel>('roll-call', false, (channel) => this.listen(channel));
    let open = true;
    return {
      close: () => {
        if (!open) return;
        open = false;
        const left = this.nodes.get(node)! - 1;
        if (left === 0) this.nodes.delete(node);
        else this.nodes.set(node, left);
      },
    };
  }

  private async listen(channel: Channel): Promise<void> {
    const exchange = rollCallExchange(this.namespace);
    await channel.assertExchange(exchange, 'fanout', exchangeOptions);
    const { queue } = await channel.assertQueue('', { ...privateQueue, arguments: { 'x-max-length': MAX_WAITING_CALLS, 'x-overflow': 'drop-head' } });
    await channel.bindQueue(queue, exchange, '');
    await channel.consume(queue, (call) => this.answer(channel, call), { noAck: true });
  }

  private answer(channel: Channel, call: ConsumeMessage | null): void {
    const replyTo: unknown = call?.properties.replyTo;
    if (typeof replyTo !== 'string' || !SERVER_NAMED_QUEUE.test(replyTo) || this.nodes.size === 0) return;
    // Not mandatory: a caller that has gone took its queue with it, and the answer is dropped.
    channel.sendToQueue(replyTo, encodeAnswer([...this.nodes.keys()]), { expiration: String(ANSWER_TTL_MS) });
  }
}

/** Calls the roll on the namespace and collects answers for `windowMs`, on a channel of its own. */
export async function callRoll(manager: ConnectionManager, namespace: string, clock: Clock, options: RollCallOptions = {}): Promise<RollCallResult> {
  const windowMs = options.windowMs ?? ROLL_CALL_WINDOW_MS;
  await manager.ready();
  const connection = manager.connection;
  if (!connection) throw new BrokerUnavailableError(manager.options.urls.map(redact).join(', '), 'the connection was lost before the roll call');
  const channel = await connection.createChannel();
  // A channel-level error (the broker refusing a declare) is thrown by the awaited call; this keeps it from also being an unhandled 'error'.
  channel.on('error', () => {});
  const nodes = new Set<string>();
  let refused = 0;
  try {
    const exchange = rollCallExchange(namespace);
    await channel.assertExchange(exchange, 'fanout', exchangeOptions);
    const { queue } = await channel.assertQueue('', privateQueue);
    await channel.consume(
      queue,
      (answer) => {
        if (!answer) return;
        try {
          for (const node of decodeAnswer(answer.content)) nodes.add(node);
        } catch {
          refused++;
        }
      },
      { noAck: true },
    );
    // The call expires with the window: a process that reads it later answers nobody.
    channel.publish(exchange, '', Buffer.alloc(0), { replyTo: queue, expiration: String(Math.max(1, windowMs)) });
    await new Promise<void>((resolve) => clock.setTimer(windowMs, resolve));
  } finally {
    await manager.closeQuietly(channel);
  }
  return { nodes: [...nodes].sort(), refused };
}
