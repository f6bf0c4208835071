import type { ControlChannel } from '../node/index.ts';
import { AskTimeoutError, UnknownAddressError } from '../lib/errors.ts';
import { NodeDownError, NodeTimeoutError } from './errors.ts';

/**
 * An ask that timed out says which node, where it was asked and why it may be silent. Over the
 * broker a node that is not running has no control queue, so the ask is refused at once instead.
 */
export function explainTimeouts(channel: ControlChannel, node: string, via: string, likely: string, overBroker = false): ControlChannel {
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
