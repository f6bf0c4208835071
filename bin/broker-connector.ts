import { createSystem } from '../index.ts';
import { actorChannel, ControlClient, type ControlKey } from '../node/index.ts';
import type { Connector } from './connector.ts';
import { explainTimeouts } from './explain-timeouts.ts';
import { rabbitTransport, type AmqpArgs } from './rabbit-transport.ts';

/**
 * Nodes anywhere on the broker: the CLI is a tiny actor system asking `<node>/$control`. Imported
 * only for `--amqp`, as it loads the actor system and the broker client.
 */
export async function brokerConnector(amqp: AmqpArgs, key: ControlKey | undefined, timeoutMs: number | undefined): Promise<Connector> {
  const transport = await rabbitTransport(amqp);
  const system = createSystem({ name: 'airlock-cli', transport });
  const namespace = amqp.namespace ?? 'airlock';
  const via = `namespace '${namespace}' on the broker`;
  const likely = `the node is down, or runs in another namespace (is it started with --namespace ${namespace}?)`;
  return {
    open: async (node) => new ControlClient(explainTimeouts(actorChannel(system, node, { key, timeoutMs }), node, via, likely, true)),
    async close() {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
    },
  };
}
