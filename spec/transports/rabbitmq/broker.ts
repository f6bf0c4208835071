/**
 * Shared helpers of the RabbitMQ specs: the broker URL, a unique namespace per run, and cleanup.
 * The specs need a real broker; when it is unreachable they fail (they never skip).
 */
import amqp from 'amqplib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { defineProtocol } from '../../../internal.ts';

const run = promisify(execFile);

export const BROKER_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A namespace (exchange + queue prefix) no other run uses. */
export function uniqueNamespace(label: string): string {
  return `airlock-spec-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Fails loudly, with what to do, when the broker is down. */
export async function requireBroker(): Promise<void> {
  try {
    const connection = await amqp.connect(BROKER_URL);
    await connection.close();
  } catch (error) {
    throw new Error(`RabbitMQ is unreachable at ${BROKER_URL} (start it with 'rabbitmq-server -detached'): ${String(error)}`);
  }
}

/** A raw amqplib connection for poking at queues the way an outside publisher would. */
export async function rawChannel() {
  const connection = await amqp.connect(BROKER_URL);
  const channel = await connection.createConfirmChannel();
  return { connection, channel };
}

/** Deletes the exchange and the queues of a namespace. */
export async function cleanup(namespace: string, addresses: string[]): Promise<void> {
  const { connection, channel } = await rawChannel();
  try {
    for (const address of [...addresses, '$dead-letters']) await channel.deleteQueue(`${namespace}:${address}`);
    await channel.deleteExchange(namespace);
    await channel.deleteExchange(`${namespace}:$roll-call`);
  } finally {
    await connection.close();
  }
}

/** The protocol the RabbitMQ specs' actors speak. */
export const Work = defineProtocol('work', {
  job: { body: z.object({ seq: z.number().int() }) },
  crash: { body: z.object({}) },
  echo: { body: z.object({ text: z.string() }), reply: z.object({ text: z.string(), pid: z.number() }) },
});

/** The broker's ids of the connections of `namespace` (named `airlock:<namespace>`). */
export async function connectionsOf(namespace: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","airlock:${namespace}"}`))
    .map((line) => line.split('\t')[0]);
}

/** Has the broker close these connections, as an operator's `rabbitmqctl close_connection` would. */
export async function closeConnections(pids: string[]): Promise<void> {
  await Promise.all(pids.map((pid) => run('rabbitmqctl', ['close_connection', pid, 'airlock spec: closed under load', '-q'])));
}
