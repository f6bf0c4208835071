import { relative } from 'node:path';
import type { Connector } from './connector.ts';
import { AdminSocketChannel } from '../node/control-plane/admin-client.ts';
import { adminSocketPath, listAdminNodes } from '../node/control-plane/admin-socket-path.ts';
import { ControlClient } from '../node/control-plane/control-client.ts';
import { explainTimeouts } from './explain-timeouts.ts';

/**
 * Local nodes: each answers on `<admin dir>/<node>.sock`. Loads the control plane's client and no
 * more (msgpackr and zod, not xstate, rxjs or amqplib): spec/bin/startup-imports.spec.ts pins it.
 */
export function adminConnector(directory: string, cwd: string, timeoutMs: number | undefined): Connector {
  const clients: ControlClient[] = [];
  return {
    nodes: () => listAdminNodes(directory),
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
