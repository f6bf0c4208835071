import { relative } from 'node:path';
import { actorChannel, AdminSocketChannel, adminDirectory, adminSocketPath, ControlClient, controlKeyPath, readControlKey, type ControlChannel, type ControlKey } from '../node/index.ts';
import { AskTimeoutError, createSystem, UnknownAddressError, type Transport } from '../index.ts';
import { NodeDownError, NodeTimeoutError } from './errors.ts';
import type { CommandIo } from './io.ts';
import { rabbitTransport, type AmqpArgs } from './rabbit-transport.ts';

/** Opens a Control client to one node, over its admin socket or over the broker. */
export interface Connector {
  open(node: string): Promise<ControlClient>;
  close(): Promise<void>;
}

export interface ConnectorOptions {
  /**
   * The requests will change state, so over the broker they need the control key (read first,
   * so a missing or unsafe key fails before any connection). The admin socket needs none: the
   * node signs what its owner-only socket receives.
   */
  signed?: boolean;
  /** How long to wait for each answer (the channels' defaults when not given). */
  timeoutMs?: number;
}

export async function connector(io: CommandIo, amqp: AmqpArgs | undefined, options: ConnectorOptions = {}): Promise<Connector> {
  if (amqp === undefined) return adminConnector(adminDirectory(io.env, io.cwd), io.cwd, options.timeoutMs);
  const key = options.signed ? await readControlKey(controlKeyPath(io.env, io.cwd)) : undefined;
  return brokerConnector(await rabbitTransport(amqp), amqp, key, options.timeoutMs);
}

/** Local nodes: each answers on `<admin dir>/<node>.sock`. */
function adminConnector(directory: string, cwd: string, timeoutMs: number | undefined): Connector {
  const clients: ControlClient[] = [];
  return {
    async open(node) {
      const path = adminSocketPath(directory, node);
      const channel = await AdminSocketChannel.connect(path, timeoutMs === undefined ? {} : { timeoutMs });
      // The socket accepted, so the node runs: silence means it is stuck or busy.
      const via = `admin socket ${relative(cwd, path).startsWith('..') ? path : relative(cwd, path)}`;
      const client = new ControlClient(explainTimeouts(channel, node, via, 'the node is running but did not answer (busy or stuck?)'));
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
    },
  };
}

/** Nodes anywhere on the broker: the CLI is a tiny actor system asking `<node>/$control`. */
function brokerConnector(transport: Transport, amqp: AmqpArgs, key: ControlKey | undefined, timeoutMs: number | undefined): Connector {
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

/**
 * An ask that timed out says which node, where it was asked and why it may be silent. Over the
 * broker a node that is not running has no control queue, so the ask is refused at once instead.
 */
function explainTimeouts(channel: ControlChannel, node: string, via: string, likely: string, overBroker = false): ControlChannel {
  return {
    ask: (type, body) =>
      channel.ask(type, body).catch((error: unknown) => {
        if (error instanceof AskTimeoutError) throw new NodeTimeoutError(node, error.timeoutMs, via, likely);
        if (overBroker && error instanceof UnknownAddressError) throw new NodeDownError(node, via, likely);
        throw error;
      }),
    close: () => channel.close(),
  };
}
