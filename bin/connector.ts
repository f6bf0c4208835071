import type { ControlClient } from '../node/index.ts';
// The control plane's own files rather than node's face: the admin socket's commands must not load
// the composition root (supervisors, transports, xstate, rxjs); the broker's part is imported only for --amqp.
import { adminDirectory } from '../node/control-plane/admin-socket-path.ts';
import { controlKeyPath, readControlKey } from '../node/control-plane/control-key-file.ts';
import { adminConnector } from './admin-connector.ts';
import type { CommandIo } from './io.ts';
import type { AmqpArgs } from './rabbit-transport.ts';

/** Opens a Control client to one node, over its admin socket or over the broker. */
export interface Connector {
  /** The nodes it can reach now: the admin sockets here, or those answering a roll call on the broker's namespace. */
  nodes(): Promise<string[]>;
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
  /** Over the broker: how long `nodes()` collects roll-call answers, and where refused answers are told. */
  rollCallWindowMs?: number;
  warn?: (line: string) => void;
}

export async function connector(io: CommandIo, amqp: AmqpArgs | undefined, options: ConnectorOptions = {}): Promise<Connector> {
  if (amqp === undefined) return adminConnector(adminDirectory(io.env, io.cwd), io.cwd, options.timeoutMs);
  const key = options.signed ? await readControlKey(controlKeyPath(io.env, io.cwd)) : undefined;
  const { brokerConnector } = await import('./broker-connector.ts');
  return brokerConnector(amqp, { ...options, key });
}
