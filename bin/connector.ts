import {
  actorChannel,
  AdminSocketChannel,
  adminDirectory,
  adminSocketPath,
  ControlClient,
  controlKeyPath,
  createSystem,
  readControlKey,
  type ControlKey,
  type Transport,
} from '../index.ts';
import type { CommandIo } from './io.ts';
import { rabbitTransport, type AmqpArgs } from './rabbit-transport.ts';

/** Opens a Control client to one node, over its admin socket or over the broker. */
export interface Connector {
  open(node: string): Promise<ControlClient>;
  close(): Promise<void>;
}

/**
 * `signed`: the requests will change state, so over the broker they need the control key
 * (read first, so a missing or unsafe key fails before any connection). The admin socket
 * needs none: the node signs what its owner-only socket receives.
 */
export async function connector(io: CommandIo, amqp: AmqpArgs | undefined, signed = false): Promise<Connector> {
  if (amqp === undefined) return adminConnector(adminDirectory(io.env, io.cwd));
  const key = signed ? await readControlKey(controlKeyPath(io.env, io.cwd)) : undefined;
  return brokerConnector(await rabbitTransport(amqp), key);
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
function brokerConnector(transport: Transport, key: ControlKey | undefined): Connector {
  const system = createSystem({ name: 'airlock-cli', transport });
  return {
    open: async (node) => new ControlClient(actorChannel(system, node, { key })),
    async close() {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
    },
  };
}
