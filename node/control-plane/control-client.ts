// lib's own files rather than its face, so the admin socket's client loads no more of lib than it uses (see admin-client.ts).
import type { Address } from '../../lib/address.ts';
import type { ActorSystem } from '../../lib/system.ts';
import { errorFromWire } from '../../lib/wire-errors.ts';
import { authorizeBody } from './control-auth.ts';
import type { ControlKey } from './control-key.ts';
import { Control, controlAddress, MAX_STATS_PAGE, type ChildOutcome, type ControlFailure, type ControlRequestType, type NodeEvents, type NodeStats, type NodeStatus, type StatsRequest } from './control-protocol.ts';

/** How a client reaches one node's control actor: its admin socket, or any transport via `ask`. */
export interface ControlChannel {
  ask(type: ControlRequestType, body: unknown): Promise<unknown>;
  close(): void;
}

export interface ActorChannelOptions {
  /** Signs restart/stop/start for the node; without it only `status` is answered. */
  key?: ControlKey;
  timeoutMs?: number;
}

/** Reaches `<node>/$control` through `system`, over whatever transport it runs (RabbitMQ included). */
export function actorChannel(system: ActorSystem, node: string, options: ActorChannelOptions = {}): ControlChannel {
  const control = system.ref(controlAddress(node), Control);
  const { key, timeoutMs = 30_000 } = options;
  const authorized = (type: ControlRequestType, body: unknown) => (key ? authorizeBody(key, node, type, body, system.clock.now()) : body);
  return {
    ask: (type, body) => control.ask(type as 'status', authorized(type, body) as { address?: string }, { timeoutMs }),
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

  /** One page of the node's live actor figures (see `stats` in control-protocol.ts). */
  async stats(request: StatsRequest = {}): Promise<NodeStats> {
    return this.request('stats', request) as Promise<NodeStats>;
  }

  /** Every page of `stats` (at or under `address`), its actors gathered into one answer (`next` never set). */
  async allStats(address?: Address): Promise<NodeStats> {
    const first = await this.stats(address === undefined ? { limit: MAX_STATS_PAGE } : { address, limit: MAX_STATS_PAGE });
    const actors = [...first.actors];
    for (let next = first.next; next !== undefined; ) {
      const page = await this.stats({ ...(address === undefined ? {} : { address }), after: next, limit: MAX_STATS_PAGE });
      actors.push(...page.actors);
      next = page.next;
    }
    const { next: _next, ...rest } = first;
    return { ...rest, actors };
  }

  /** The node's recent system events after `after` (one page; `next` when more follow). */
  async events(after?: number): Promise<NodeEvents> {
    return this.request('events', after === undefined ? {} : { after }) as Promise<NodeEvents>;
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

  /** A new child `address` of the dynamic supervisor above it; `config` is JSON text. */
  startChild(address: Address, config?: string): Promise<ChildOutcome> {
    return this.request('startChild', config === undefined ? { address } : { address, config }) as Promise<ChildOutcome>;
  }

  /** Stops a dynamic supervisor's child and removes it. */
  stopChild(address: Address): Promise<ChildOutcome> {
    return this.request('stopChild', { address }) as Promise<ChildOutcome>;
  }

  close(): void {
    this.channel.close();
  }

  private async request(type: ControlRequestType, body: unknown): Promise<NodeStatus | NodeStats | NodeEvents | ChildOutcome> {
    const reply = Control.validateReply(type, await this.channel.ask(type, body)) as NodeStatus | NodeStats | NodeEvents | ChildOutcome | ControlFailure;
    if (!reply.ok) throw errorFromWire(reply.error);
    return reply;
  }
}
