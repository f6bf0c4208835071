import type { Logger } from 'pino';
import type { Address } from './address.ts';
import type { ActorRef } from './actor-ref.ts';
import type { Behaviour } from './behaviour.ts';
import type { CellHost } from './cell-host.ts';
import type { ChildStatus } from './child.ts';
import type { Envelope } from './envelope.ts';
import { IncarnationTimers } from './incarnation-timers.ts';
import { asError, isThenable } from './outcome.ts';
import { OwnedLinks } from './owned-links.ts';
import { OwnedNetwork, type Supervise } from './owned-network.ts';
import type { Links } from './ports/links.ts';
import type { Network } from './ports/network.ts';
import type { AnyProtocol } from './protocol.ts';
import { SpawnedChildren } from './spawned-children.ts';

/** What an incarnation needs from the cell that runs it. */
export interface IncarnationOwner {
  readonly host: CellHost;
  readonly address: Address;
  readonly self: ActorRef<AnyProtocol>;
  readonly log: Logger;
  /** Crashes `inc` (the cell ignores it once `inc` is not its current incarnation). */
  crashed(inc: Incarnation, error: Error): void;
  /** Whether another incarnation runs in place of `inc`. */
  superseded(inc: Incarnation): boolean;
}

/** live → closing (asked to end: `stopping` aborted) → ended (everything released). */
type Phase = 'live' | 'closing' | 'ended';

/**
 * Everything one incarnation of an actor holds, with one lifetime: its behaviour, the message in
 * its handler, its timers, the network and links it obtained, its stop hooks, its `stopping`
 * signal and the children it spawned. `end` releases all of it together. The cell keeps the
 * live one as `current` and forgets it when it ends, so a completion that arrives later (a
 * handler's promise, an async setup, a callback) finds `inc !== cell.current` and is dropped.
 * Timers, ports, children and the `stopping` signal are made on first use: restarts stay cheap.
 */
export class Incarnation {
  /** Undefined while an async setup runs, and once ended. */
  behaviour: Behaviour | undefined;
  /** The message in its handler, and whether that message was answered already. */
  handling: Envelope | undefined;
  answered = false;
  /** An async handler or setup in progress: the mailbox waits for it. */
  pending: Promise<void> | undefined;
  /** While an async setup runs: resolves true once the incarnation runs, false if it never does. */
  settingUp: Promise<boolean> | undefined;
  /** `ctx.stop()` was called: the actor ends once the message in its handler is handled. */
  stopAsked = false;

  private phase: Phase = 'live';
  private ending: AbortController | undefined;
  private stopHooks: (() => void | Promise<void>)[] | undefined;
  private ownedTimers: IncarnationTimers | undefined;
  private ownedNetwork: OwnedNetwork | undefined;
  private ownedLinks: OwnedLinks | undefined;
  private spawned: SpawnedChildren | undefined;
  private supervising: Supervise | undefined;

  /** Its cell; no closures per incarnation, so a restart allocates little. */
  constructor(private readonly owner: IncarnationOwner) {}

  private get host(): CellHost {
    return this.owner.host;
  }

  private get address(): Address {
    return this.owner.address;
  }

  /**
   * Waits for an async setup as for a message in its handler (`pending`: a shutdown meanwhile
   * waits for it too); `settingUp` says whether the incarnation came to run, as `resolved` decides.
   */
  awaitSetup(setup: Promise<Behaviour>, resolved: (behaviour: Behaviour) => boolean, rejected: (error: Error) => void): void {
    let settle!: (ran: boolean) => void;
    this.settingUp = new Promise<boolean>((resolve) => (settle = resolve));
    const settled = (): void => {
      this.settingUp = undefined;
      this.pending = undefined;
    };
    this.pending = setup.then(
      (behaviour) => {
        settled();
        settle(resolved(behaviour));
      },
      (error: unknown) => {
        settled();
        settle(false);
        rejected(asError(error));
      },
    );
  }

  /** Everything is released; what it is asked for now is refused or closed at once. */
  get ended(): boolean {
    return this.phase === 'ended';
  }

  get timers(): IncarnationTimers {
    if (this.ownedTimers) return this.ownedTimers;
    this.ownedTimers = new IncarnationTimers(this.host.clock, this.owner.self);
    if (this.phase === 'ended') this.ownedTimers.cancelAll();
    return this.ownedTimers;
  }

  get network(): Network {
    if (this.ownedNetwork) return this.ownedNetwork;
    const streamError = (error: Error): void => this.owner.log.debug({ err: error }, 'stream error');
    this.ownedNetwork = new OwnedNetwork(this.host.network, this.address, this.supervise, streamError);
    // Asked for after the incarnation ended: it hands out nothing.
    if (this.phase === 'ended') void this.ownedNetwork.close();
    return this.ownedNetwork;
  }

  get links(): Links {
    if (this.ownedLinks) return this.ownedLinks;
    this.ownedLinks = new OwnedLinks(this.host.links, this.address, this.supervise, this.host.clock);
    if (this.phase === 'ended') void this.ownedLinks.close();
    return this.ownedLinks;
  }

  /** The children it spawned; they crash it when they restart too often (see `SpawnedChildren`). */
  get children(): SpawnedChildren {
    return (this.spawned ??= new SpawnedChildren(this.host, this.address, (error) => this.owner.crashed(this, error)));
  }

  childStatuses(): ChildStatus[] | undefined {
    return this.spawned && this.spawned.size > 0 ? this.spawned.statuses() : undefined;
  }

  get stopping(): AbortSignal {
    if (this.ending === undefined) {
      this.ending = new AbortController();
      if (this.phase !== 'live') this.ending.abort();
    }
    return this.ending.signal;
  }

  /** Asked to end (a stop, a kill, a crash): a handler waiting on something outside gives up. */
  close(): void {
    if (this.phase === 'live') this.phase = 'closing';
    this.ending?.abort();
  }

  /** Registered after the end (an async setup that resumed too late): it runs at once, so nothing leaks. */
  onStop(cleanup: () => void | Promise<void>): void {
    if (this.phase === 'ended') void runQuietly(cleanup);
    else (this.stopHooks ??= []).push(cleanup);
  }

  /**
   * See `ActorContext.supervise`: a throw or rejection crashes this incarnation. After its end a
   * callback still runs (its failure ignored) until another incarnation replaces it: the teardown
   * itself fires callbacks (a link closing at a stop writes the Float's `disconnect` audit line).
   */
  get supervise(): Supervise {
    return (this.supervising ??= (callback) => {
      const fail = (error: unknown): void => {
        if (this.phase !== 'ended') this.owner.crashed(this, asError(error));
      };
      return (...args) => {
        if (this.phase === 'ended' && this.owner.superseded(this)) return;
        try {
          const result = callback(...args);
          if (isThenable(result)) result.then(undefined, fail);
        } catch (error) {
          fail(error);
        }
      };
    });
  }

  /**
   * Releases everything; never throws. Cancels timers, stops children (each within its shutdown
   * when `graceful`, else killed at once, as OTP's links take children down with a crash), runs
   * stop hooks (last first) and closes the network and links: after the hooks when `graceful`
   * (they may say goodbye on a connection), else at once, so a restart finds its port free.
   * Called again (a kill past the shutdown of a graceful end), it closes what is left at once.
   */
  end(graceful: boolean): Promise<void> {
    this.close();
    this.phase = 'ended';
    this.ownedTimers?.cancelAll();
    const owned = this.ownedNetwork !== undefined || this.ownedLinks !== undefined;
    if (owned && !graceful) void this.closePorts();
    const children = this.spawned?.stopAll(graceful);
    this.behaviour?.dispose();
    this.behaviour = undefined;
    let chain: Promise<void> | undefined = graceful ? children : undefined;
    if (this.stopHooks !== undefined && this.stopHooks.length > 0) {
      const hooks = this.stopHooks.reverse();
      this.stopHooks = undefined;
      for (const hook of hooks) chain = chain ? chain.then(() => runQuietly(hook)) : runQuietly(hook);
    }
    if (graceful && owned) return (chain ?? DONE).then(() => this.closePorts());
    return chain ?? DONE;
  }

  private closePorts(): Promise<void> {
    return Promise.all([this.ownedNetwork?.close(), this.ownedLinks?.close()]).then(() => {});
  }
}

/** What an incarnation with nothing left to wait for returns: one promise, not one per restart. */
const DONE: Promise<void> = Promise.resolve();

/** A stop hook's failure must not keep the others from running, nor the incarnation from ending. */
function runQuietly(hook: () => void | Promise<void>): Promise<void> {
  try {
    return Promise.resolve(hook()).catch(() => {});
  } catch {
    return Promise.resolve();
  }
}
