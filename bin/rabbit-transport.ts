import type { Transport } from '../index.ts';

export interface AmqpArgs {
  url: string;
  /** Exchange name and queue prefix (the transport's default, `airlock`, when not given). */
  namespace?: string;
}

/**
 * The RabbitMQ transport for `--amqp URL`, loaded only when asked for, so the commands that do
 * not use it never load the broker client. Fails with `BrokerUnavailableError` when the broker
 * cannot be reached.
 */
export async function rabbitTransport(amqp: AmqpArgs): Promise<Transport> {
  const { connectRabbit } = await import('../transports/rabbitmq/index.ts');
  return connectRabbit({
    url: amqp.url,
    ...(amqp.namespace === undefined ? {} : { namespace: amqp.namespace }),
  });
}
