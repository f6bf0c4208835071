import type { ActorStatsWire, ChildOutcome, ControlClient, NodeEvents, NodeStatus } from '../../node/index.ts';
import type { Connector } from '../connector.ts';

/** The state-changing requests the page may send a node. */
export type NodeAction = 'restart' | 'stop' | 'start';
export const NODE_ACTIONS: readonly NodeAction[] = ['restart', 'stop', 'start'];

/**
 * The observed nodes as the observer reaches them: which there are, each one's status, and the
 * actions, signed by the connector (with the control key over the broker; the admin socket's
 * node signs what its owner-only socket receives).
 */
export interface NodeSource {
  /** The nodes to watch now (the admin sockets found, or those named on the command line). */
  nodes(): Promise<string[]>;
  status(node: string): Promise<NodeStatus>;
  /** Every actor's live figures (all pages of `stats`), and when the node read them on its clock. */
  stats(node: string): Promise<NodeFigures>;
  /** The node's recent system events after `after` (one page). */
  events(node: string, after?: number): Promise<NodeEvents>;
  act(node: string, action: NodeAction, address: string): Promise<ChildOutcome>;
  close(): Promise<void>;
}

/** One reading of a node's actors' figures. */
export interface NodeFigures {
  /** The node's clock when it read them (ms): rates are differences over it. */
  at: number;
  actors: ActorStatsWire[];
}

/** A `NodeSource` over a connector, one client per node kept open, dropped when it fails so the next request opens a fresh one. */
export function connectorSource(connector: Connector, nodes: () => Promise<string[]>): NodeSource {
  const clients = new Map<string, Promise<ControlClient>>();
  let closed = false;
  const client = (node: string) => {
    // A poll still under way when the observer closes must not open a connection that would outlive it.
    if (closed) return Promise.reject(new Error('the observer is closing'));
    let opened = clients.get(node);
    if (!opened) {
      opened = connector.open(node);
      clients.set(node, opened);
    }
    return opened;
  };
  const using = async <T>(node: string, request: (client: ControlClient) => Promise<T>): Promise<T> => {
    const opened = client(node);
    try {
      return await request(await opened);
    } catch (error) {
      if (clients.get(node) === opened) clients.delete(node);
      void opened.then((stale) => stale.close()).catch(() => {});
      throw error;
    }
  };
  return {
    nodes,
    status: (node) => using(node, (control) => control.status()),
    stats: (node) => using(node, async (control) => {
      const { at, actors } = await control.allStats();
      return { at, actors };
    }),
    events: (node, after) => using(node, (control) => control.events(after)),
    act: (node, action, address) => using(node, (control) => control[action](address)),
    async close() {
      closed = true;
      // A connection still opening when the connector closes joins none of its lists: closed here too.
      const pending = [...clients.values()];
      clients.clear();
      await connector.close();
      for (const opened of pending) (await opened.catch(() => undefined))?.close();
    },
  };
}
