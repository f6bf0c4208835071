import { AirlockError } from '../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../lib/wire-errors.ts';

// The errors the `airlock` command reports, registered at load so `errorFromWire` rebuilds them in any process.

/** A command was called the wrong way (unknown subcommand, missing argument, no topology export). */
export class BadUsageError extends AirlockError {
  constructor(message: string) {
    super('BAD_USAGE', message);
  }
}

/** A node asked over the control plane gave no answer in time; `likely` says why it may be so. */
export class NodeTimeoutError extends AirlockError {
  constructor(readonly node: string, readonly timeoutMs: number, readonly via: string, likely: string) {
    super('NODE_TIMEOUT', `no answer from node ${node} within ${timeoutMs} ms (${via}): ${likely}`);
  }
}

/** A node asked over the broker has no control queue: it is not running there (or not in that namespace). */
export class NodeDownError extends AirlockError {
  constructor(readonly node: string, readonly via: string, likely: string) {
    super('NODE_DOWN', `node ${node} is not running (${via} has no control queue for it): ${likely}`);
  }
}

/** No node answered the roll call on a broker's namespace: none runs there, or they run in another namespace. */
export class NoNodesError extends AirlockError {
  constructor(readonly namespace: string) {
    super('NO_NODES', `no node answered the roll call on namespace '${namespace}' (are they started with --namespace ${namespace}?)`);
  }
}

const COMMAND_ERRORS = defineWireErrors({
  BAD_USAGE: BadUsageError,
  NODE_TIMEOUT: NodeTimeoutError,
  NODE_DOWN: NodeDownError,
  NO_NODES: NoNodesError,
});

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof COMMAND_ERRORS> {}
}
