import { errorFromWire, type ActorSystem, type Address } from '../../lib/index.ts';
import { Control, controlAddress, type ChildOutcome, type ControlFailure, type ControlRequestType, type NodeStatus } from './control-protocol.ts';

/** How a client reaches one node's control actor: its admin socket, or any transport via `ask`. */
export interface ControlChannel {
  ask(type: ControlRequestType, body: unknown): Promise<unknown>;
  close(): void;
}

/** Reaches `<node>/$control` through `system`, over whatever transport it runs (RabbitMQ included). */
export function actorChannel(system: ActorSystem, node: string, timeoutMs = 30_000): ControlChannel {
  const control = system.ref(controlAddress(node), Control);
  return {
    ask: (type, body) => control.ask(type as 'status', body as { address?: string }, { timeoutMs }),
    close: () => {},
  };
}

/**
 * Typed Control requests over a channel. Replies are validated against the protocol (they may
 * have come from another process) and a refusal is thrown as an `AirlockError` with its code.
 */
export class ControlClient {
  constructor(private readonly channel: ControlChannel) {}

  async status(address?: Address): Promise<NodeStatus> {
    return this.request('status', address === undefined ? {} : { address }) as Promise<NodeStatus>;
  }

  restart(address: Address): Promise<ChildOutcome> {
    return this.request('restart', { address }) as Promise<ChildOutcome>;
  }

  stop(address: Address): Promise<ChildOutcome> {
    return this.request('stop', { address }) as Promise<ChildOutcome>;
  }

  start(address: Address): Promise<ChildOutcome> {
    return this.request('start', { address }) as Promise<ChildOutcome>;
  }

  close(): void {
    this.channel.close();
  }

  private async request(type: ControlRequestType, body: unknown): Promise<NodeStatus | ChildOutcome> {
    const reply = Control.validateReply(type, await this.channel.ask(type, body)) as NodeStatus | ChildOutcome | ControlFailure;
    if (!reply.ok) throw errorFromWire(reply.error);
    return reply;
  }
}
