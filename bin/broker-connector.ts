import { createSystem } from '../index.ts';
import { actorChannel, ControlClient, type ControlKey } from '../node/index.ts';
import type { Connector } from './connector.ts';
import { explainTimeouts } from './explain-timeouts.ts';
import { rabbitTransport, type AmqpArgs } from './rabbit-transport.ts';

export interface BrokerConnectorOptions {
  /** Signs the requests (those that change state need it). */
  key?: ControlKey;
  /** How long each request waits for its answer (the channel's default when not given). */
  timeoutMs?: number;
  /** How long `nodes()` collects roll-call answers (the transport's default when not given). */
  rollCallWindowMs?: number;
  /** Told of roll-call answers refused as malformed. */
  warn?: (line: string) => void;
}

/**
 * Nodes anywhere on the broker: the CLI is a tiny actor system asking `<node>/$control`. Imported
 * only for `--amqp`, as it loads the actor system and the broker client.
 */
export async function brokerConnector(amqp: AmqpArgs, options: BrokerConnectorOptions = {}): Promise<Connector> {
  const { key, timeoutMs, rollCallWindowMs, warn = () => {} } = options;
  const transport = await rabbitTransport(amqp);
  const system = createSystem({ name: 'airlock-cli', transport });
  const namespace = amqp.namespace ?? 'airlock';
  const via = `namespace '${namespace}' on the broker`;
  const likely = `the node is down, or runs in another namespace (is it started with --namespace ${namespace}?)`;
  return {
    async nodes() {
      // Every process running nodes of the namespace answers (see transports/rabbitmq/roll-call.ts).
      const { nodes, refused } = await transport.rollCall({ windowMs: rollCallWindowMs });
      if (refused > 0) warn(`${refused} roll-call answer(s) on ${via} refused as malformed (another version, or not an airlock node)`);
      return nodes;
    },
    open: async (node) => new ControlClient(explainTimeouts(actorChannel(system, node, { key, timeoutMs }), node, via, likely, true)),
    async close() {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
    },
  };
}
