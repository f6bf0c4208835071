import {
  actorChannel,
  AdminSocketChannel,
  adminDirectory,
  adminSocketPath,
  ControlClient,
  createSystem,
  type Transport,
} from '../index.ts';
import type { CommandIo } from './io.ts';
import { rabbitTransport, type AmqpArgs } from './rabbit-transport.ts';

/** Opens a Control client to one node, over its admin socket or over the broker. */
export interface Connector {
  open(node: string): Promise<ControlClient>;
  close(): Promise<void>;
}

export async function connector(io: CommandIo, amqp: AmqpArgs | undefined): Promise<Connector> {
  return amqp === undefined ? adminConnector(adminDirectory(io.env, io.cwd)) : brokerConnector(await rabbitTransport(amqp));
}

/** Local nodes: each answers on `<admin dir>/<node>.sock`. */
function adminConnector(directory: string): Connector {
  const clients: ControlClient[] = [];
  return {
    async open(node) {
      const client = new ControlClient(await AdminSocketChannel.connect(adminSocketPath(directory, node)));
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
    },
  };
}

/** Nodes anywhere on the broker: the CLI is a tiny actor system asking `<node>/$control`. */
function brokerConnector(transport: Transport): Connector {
  const system = createSystem({ name: 'airlock-cli', transport });
  return {
    open: async (node) => new ControlClient(actorChannel(system, node)),
    async close() {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
    },
  };
}
