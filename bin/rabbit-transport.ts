import type { RabbitTransport } from '../transports/rabbitmq/index.ts';

export interface AmqpArgs {
  /** One broker's URL, or a cluster's nodes as a comma-separated list (tried in order, see `RabbitOptions.urls`). */
  url: string;
  /** Exchange name and queue prefix (the transport's default, `airlock`, when not given). */
  namespace?: string;
}

/**
 * The RabbitMQ transport for `--amqp URL`, loaded only when asked for, so the commands that do
 * not use it never load the broker client. Fails with `BrokerUnavailableError` when the broker
 * cannot be reached.
 */
export async function rabbitTransport(amqp: AmqpArgs): Promise<RabbitTransport> {
  const { connectRabbit } = await import('../transports/rabbitmq/index.ts');
  const urls = amqp.url.split(',').map((url) => url.trim()).filter((url) => url.length > 0);
  return connectRabbit({
    urls,
    ...(amqp.namespace === undefined ? {} : { namespace: amqp.namespace }),
  });
}
