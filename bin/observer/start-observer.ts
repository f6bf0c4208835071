import { basename, dirname } from 'node:path';
import { errorMessage } from '../../lib/errors.ts';
import { adminConnector } from '../admin-connector.ts';
import type { Connector } from '../connector.ts';
import { brokerDeadLetters, type DeadLetterSource } from './dead-letter-source.ts';
import { connectorSource, type NodeSource } from './node-source.ts';
import { ObservedSystem } from './observed-system.ts';
import { ObserverAuth } from './observer-auth.ts';
import { ACTION_TIMEOUT_MS } from './observer-limits.ts';
import { rememberedNodes } from './remembered-nodes.ts';
import { ObserverServer, type AuditRecord } from './observer-server.ts';
import type { ControlKey } from '../../node/index.ts';

/** Where the observed nodes are: admin sockets on this machine, or a namespace on a broker. */
export type ObservedNodes =
  | { kind: 'sockets'; directory: string; cwd: string; /** One socket only (`--socket <dir>/<node>.sock`). */ node?: string }
  | { kind: 'broker'; urls: string[]; namespace: string; /** Only these; every node answering a roll call when not given. */ nodes?: string[]; key: ControlKey };

export interface ObserverOptions {
  nodes: ObservedNodes;
  port: number;
  /** Loopback (127.0.0.1) unless given; any other address requires the token. */
  listen?: string;
  audit: (record: AuditRecord) => void;
  pollIntervalMs?: number;
}

export interface RunningObserver {
  /** The address to open: with `?token=` in reachable mode, printed once. */
  url: string;
  token: string | undefined;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Connects to the nodes, starts polling them and serves the page. */
export async function startObserver(options: ObserverOptions): Promise<RunningObserver> {
  const { nodes, deadLetters, label } = await sources(options.nodes);
  const system = new ObservedSystem({ nodes, deadLetters, pollIntervalMs: options.pollIntervalMs });
  const listen = options.listen ?? LOOPBACK;
  const auth = listen === LOOPBACK || listen === 'localhost' || listen === '::1' ? ObserverAuth.loopback() : ObserverAuth.reachable();
  const server = new ObserverServer({ system, nodes, deadLetters, auth, title: `airlock observer: ${label}`, audit: options.audit });
  await system.start();
  const address = await server.listen(options.port, listen);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/${auth.token === undefined ? '' : `?token=${auth.token}`}`;
  return {
    url,
    token: auth.token,
    async close() {
      await server.close();
      await system.close();
    },
  };
}

async function sources(where: ObservedNodes): Promise<{ nodes: NodeSource; deadLetters?: DeadLetterSource; label: string }> {
  if (where.kind === 'sockets') {
    const connector = adminConnector(where.directory, where.cwd, ACTION_TIMEOUT_MS);
    const list = where.node === undefined ? () => connector.nodes() : async () => [where.node!];
    return { nodes: connectorSource(connector, list), label: where.node === undefined ? where.directory : `${where.node} (${where.directory})` };
  }
  const { url, connector } = await firstReachableBroker(where.urls, where.namespace, where.key);
  const named = where.nodes;
  return {
    nodes: connectorSource(connector, named ? async () => [...named] : rememberedNodes(() => connector.nodes())),
    deadLetters: brokerDeadLetters(url, where.namespace, ACTION_TIMEOUT_MS),
    label: `namespace ${where.namespace}`,
  };
}

/** The first of the brokers (a cluster's nodes, given in order of preference) that accepts a connection. */
async function firstReachableBroker(urls: string[], namespace: string, key: ControlKey): Promise<{ url: string; connector: Connector }> {
  const { brokerConnector } = await import('../broker-connector.ts');
  const failures: string[] = [];
  for (const url of urls) {
    try {
      return { url, connector: await brokerConnector({ url, namespace }, { key, timeoutMs: ACTION_TIMEOUT_MS }) };
    } catch (error) {
      failures.push(errorMessage(error));
    }
  }
  throw new Error(`no broker reachable: ${failures.join('; ')}`);
}

/** `--socket PATH`: a directory of admin sockets, or one `<node>.sock` in it. */
export function socketOption(path: string, cwd: string): ObservedNodes {
  return path.endsWith('.sock') ? { kind: 'sockets', directory: dirname(path), cwd, node: basename(path, '.sock') } : { kind: 'sockets', directory: path, cwd };
}
