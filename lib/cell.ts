import type { Logger } from 'pino';
import { childAddress, type Address } from './address.ts';
import type { ActorDefinition, Handlers } from './actor.ts';
import { configOf } from './actor-config.ts';
import { ActorRef } from './actor-ref.ts';
import type { Child, ChildStatus, ExitListener, RunState, Shutdown } from './child.ts';
import type { ActorContext, Timers } from './context.ts';
import type { Envelope } from './envelope.ts';
import { ActorCrashedError, ActorStoppedError, NoReplyError, ShutdownTimeoutError } from './errors.ts';
import { NORMAL, SHUTDOWN, type ExitReason } from './events.ts';
import type { AnyProtocol } from './protocol.ts';
import type { Clock, Timer } from './ports/clock.ts';
import type { Network } from './ports/network.ts';
import { OwnedNetwork } from './owned-network.ts';
import { OwnedLinks } from './owned-links.ts';
import type { Links } from './ports/links.ts';
import type { Random } from './ports/random.ts';
import { DEFAULT_MAILBOX, type Mailbox, type Settlement } from './ports/transport.ts';
import type { CellHost } from './cell-host.ts';
import { SpawnedChildren, type SpawnOptions } from './spawned-children.ts';
import { machineBehaviour } from './machine-behaviour.ts';

/** Messages handled in one go before the cell yields to other actors. */
const THROUGHPUT = 256;
const HANDLED: Settlement = { handled: true };

/** One incarnation's way of handling a message; returns the handler's result (maybe a promise). */
export interface Behaviour {
  receive: (envelope: Envelope) => unknown;
  /** Set by machine behaviours when the machine reached a final state. */
  readonly done?: boolean;
  dispose(): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * The runtime of one actor address: its mailbox (which outlives incarnations), the current
 * incarnation's behaviour, and the drain loop that hands it one message at a time.
 * It is also the actor's context, so handlers reach tell/ask/timers with no extra objects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a cell of any protocol
export class ActorCell<P extends AnyProtocol = any> implements Child, ActorContext<P> {
  readonly kind = 'actor';
  readonly self: ActorRef<P>;
  readonly mailbox: Mailbox;
  readonly protocol: P;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the definition, for its context
  readonly config: any;

  private state: RunState = 'stopped';
  /** Down until started again, by its supervisor's decision (see `Child.park`). */
  parked = false;
  private disposed = false;
  private behaviour: Behaviour | undefined;
  /** Bumped per incarnation, so late completions of a killed incarnation are ignored. */
  private incarnation = 0;
  private scheduled = false;
  private busy = false;
  private inFlight: Promise<void> | undefined;
  private current: Envelope | undefined;
  private answered = false;
  private stopRequested = false;
  private stopHooks: (() => void | Promise<void>)[] = [];
  /** While an async setup runs: resolves true once the incarnation runs, false if it never does. */
  settingUp: Promise<boolean> | undefined;
  /** The current incarnation's `stopping` signal, made only when an actor asks for it (restarts stay cheap). */
  private ending: AbortController | undefined;
  private readonly timerTable = new Map<string, Timer>();
  /** The current (or last) incarnation's listeners, connections and sockets; made on first use. */
  private owned: OwnedNetwork | undefined;
  private ownedLinks: OwnedLinks | undefined;
  private networkEnded = false;
  private logger: Logger | undefined;
  private readonly children: SpawnedChildren;
  private started = 0;
  private handledCount = 0;
  private failedCount = 0;

  constructor(
    private readonly host: CellHost,
    readonly definition: ActorDefinition<P>,
    readonly address: Address,
    private readonly parent: ExitListener | undefined,
  ) {
    this.config = configOf(definition, `of actor ${address}`);
    this.protocol = definition.protocol;
    this.self = new ActorRef(host, address, definition.protocol, address);
    this.mailbox = host.transport.openMailbox(address, { ...DEFAULT_MAILBOX, ...definition.mailbox }, definition.protocol);
    this.children = new SpawnedChildren(host, address, (error) => this.crashOutsideHandler(error));
  }

  get running(): boolean {
    return this.state === 'running';
  }

  get clock(): Clock {
    return this.host.clock;
  }

  get random(): Random {
    return this.host.random;
  }

  get network(): Network {
    if (this.owned) return this.owned;
    this.owned = new OwnedNetwork(this.host.network, this.address, this.supervise, (error) => this.log.debug({ err: error }, 'stream error'));
    // Asked for after its incarnation ended: it hands out nothing.
    if (this.networkEnded) void this.owned.close();
    return this.owned;
  }

  get links(): Links {
    if (this.ownedLinks) return this.ownedLinks;
    this.ownedLinks = new OwnedLinks(this.host.links, this.address, this.supervise);
    if (this.networkEnded) void this.ownedLinks.close();
    return this.ownedLinks;
  }

  get log(): Logger {
    return (this.logger ??= this.host.logger.child({ address: this.address }));
  }

  get envelope(): Envelope | undefined {
    return this.current;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /**
   * Starts a fresh incarnation on the same mailbox; throws when `setup` throws. An async `setup`
   * keeps messages waiting until it resolves; if it rejects, the actor fails and its parent decides.
   */
  start(): void {
    if (this.disposed) throw new ActorStoppedError(this.address);
    if (this.state === 'running') return;
    this.incarnation++;
    this.ending = undefined;
    this.stopRequested = false;
    this.parked = false;
    this.state = 'running';
    this.owned = undefined;
    this.ownedLinks = undefined;
    this.networkEnded = false;
    let behaviour: Behaviour | Promise<Behaviour>;
    try {
      behaviour = this.createBehaviour();
    } catch (error) {
      void this.endIncarnation();
      this.state = 'failed';
      throw error;
    }
    this.started++;
    if (isThenable(behaviour)) this.awaitSetup(behaviour);
    else this.begin(behaviour);
  }

  /** The incarnation is set up: it says so and takes its messages. */
  private begin(behaviour: Behaviour): void {
    this.behaviour = behaviour;
    this.host.emit({ kind: 'started', address: this.address, at: this.clock.now() });
    this.mailbox.attach(this.ready);
  }

  /**
   * Waits for an async setup as for a message in its handler (`busy`): a shutdown meanwhile
   * waits for it (or kills it past its shutdown, and what it resolves to is disposed).
   */
  private awaitSetup(setup: Promise<Behaviour>): void {
    const incarnation = this.incarnation;
    this.busy = true;
    let settle!: (started: boolean) => void;
    const settingUp = new Promise<boolean>((resolve) => (settle = resolve));
    this.settingUp = settingUp;
    const settled = (started: boolean): void => {
      if (this.settingUp === settingUp) this.settingUp = undefined;
      settle(started);
    };
    this.inFlight = setup.then(
      (behaviour) => {
        if (incarnation !== this.incarnation) return settled(false), behaviour.dispose();
        this.busy = false;
        this.inFlight = undefined;
        // Stopping already: the shutdown in progress ends it (and disposes the behaviour).
        if (this.state !== 'running') return settled(false), void (this.behaviour = behaviour);
        this.begin(behaviour);
        settled(true);
        if (this.stopRequested) this.exit(NORMAL);
      },
      (error) => {
        settled(false);
        if (incarnation !== this.incarnation) return;
        this.busy = false;
        this.inFlight = undefined;
        if (this.state === 'running') this.exit({ kind: 'failure', error: asError(error) });
      },
    );
  }

  /** Stops on the parent's behalf; the parent is not told, since it asked. */
  async shutdown(shutdown: Shutdown): Promise<void> {
    if (this.state !== 'running') return;
    const incarnation = this.incarnation;
    this.state = 'stopped';
    this.mailbox.detach();
    this.ending?.abort();
    if (shutdown === 'brutal') return this.kill(incarnation, new ShutdownTimeoutError(this.address, 0));
    const graceful = this.finishGracefully(incarnation);
    if (shutdown === 'infinity') return graceful;
    let timer: Timer | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = this.clock.setTimer(shutdown, () => resolve('timeout'))));
    const outcome = await Promise.race([graceful, timedOut]);
    timer?.cancel();
    if (outcome === 'timeout') this.kill(incarnation, new ShutdownTimeoutError(this.address, shutdown));
  }

  park(): void {
    this.parked = true;
  }

  /** Removes the actor for good: its address is freed and waiting messages are dead-lettered. */
  dispose(): void {
    if (this.disposed) return;
    if (this.state === 'running') this.kill(this.incarnation, new ActorStoppedError(this.address));
    this.disposed = true;
    for (const envelope of this.mailbox.close()) this.host.deadLetter(envelope, new ActorStoppedError(this.address), this.address);
    this.host.unregister(this);
  }

  status(): ChildStatus {
    return {
      address: this.address,
      kind: 'actor',
      state: this.state,
      restarts: Math.max(0, this.started - 1),
      mailboxDepth: this.mailbox.depth,
      handled: this.handledCount,
      failed: this.failedCount,
      ...(this.children.size > 0 ? { children: this.children.statuses() } : {}),
    };
  }

  /** True when nothing waits in the mailbox and no handler is running. */
  get idle(): boolean {
    return !this.busy && (this.state !== 'running' || this.mailbox.depth === 0);
  }

  private async finishGracefully(incarnation: number): Promise<void> {
    await this.inFlight;
    if (incarnation !== this.incarnation) return;
    await this.endIncarnation(true);
    this.host.emit({ kind: 'stopped', address: this.address, at: this.clock.now(), reason: SHUTDOWN });
  }

  /** Ends the incarnation at once; a message still in its handler is dead-lettered. */
  private kill(incarnation: number, error: Error): void {
    if (incarnation !== this.incarnation) return;
    const abandoned = this.busy ? this.current : undefined;
    this.incarnation++;
    this.busy = false;
    this.current = undefined;
    this.state = 'stopped';
    void this.endIncarnation();
    if (abandoned) this.settleFailed(abandoned, error);
    this.host.emit({ kind: 'stopped', address: this.address, at: this.clock.now(), reason: { kind: 'killed', error } });
  }

  /**
   * Cancels timers, stops children (each within its shutdown when `graceful`, else killed at
   * once, as OTP's links take children down with a crash), runs stop hooks (last first) and
   * closes the incarnation's network: after the hooks when `graceful` (they may say goodbye on a
   * connection), else at once, so a restart finds its port free. Never throws.
   */
  private endIncarnation(graceful = false): Promise<void> {
    this.mailbox.detach();
    this.ending?.abort();
    for (const timer of this.timerTable.values()) timer.cancel();
    this.timerTable.clear();
    const ports = [this.owned, this.ownedLinks].filter((port) => port !== undefined);
    this.networkEnded = true;
    const closePorts = (): Promise<void> => Promise.all(ports.map((port) => port.close())).then(() => {});
    if (!graceful && ports.length > 0) void closePorts();
    const children = this.children.stopAll(graceful);
    this.behaviour?.dispose();
    this.behaviour = undefined;
    const hooks = this.stopHooks.reverse();
    this.stopHooks = [];
    let chain: Promise<void> | undefined = graceful ? children : undefined;
    for (const hook of hooks) {
      chain = chain ? chain.then(() => runQuietly(hook)) : runQuietly(hook);
    }
    if (graceful && ports.length > 0) return (chain ?? Promise.resolve()).then(closePorts);
    return chain ?? Promise.resolve();
  }

  /** The actor ended on its own: a crash or a normal stop. Its parent decides what next. */
  private exit(reason: ExitReason): void {
    this.incarnation++;
    this.state = reason.kind === 'normal' ? 'stopped' : 'failed';
    this.busy = false;
    void this.endIncarnation();
    const at = this.clock.now();
    if (reason.kind === 'failure') this.host.emit({ kind: 'failed', address: this.address, at, error: reason.error });
    this.host.emit({ kind: 'stopped', address: this.address, at, reason });
    if (this.parent) this.parent.childExited(this, reason);
    else this.dispose();
  }

  // ---- message handling -------------------------------------------------------------------

  private readonly ready = (): void => {
    if (this.scheduled || this.busy || this.state !== 'running') return;
    this.scheduled = true;
    this.host.dispatch(this.drain);
  };

  private readonly drain = (): void => {
    this.scheduled = false;
    for (let budget = THROUGHPUT; budget > 0; budget--) {
      if (this.busy || this.state !== 'running') return;
      const envelope = this.mailbox.take();
      if (envelope === undefined) return;
      this.handle(envelope);
    }
    if (this.mailbox.depth > 0) this.ready();
  };

  private handle(envelope: Envelope): void {
    this.current = envelope;
    this.answered = false;
    let result: unknown;
    try {
      result = this.behaviour!.receive(envelope);
    } catch (error) {
      return this.crash(envelope, asError(error));
    }
    if (!isThenable(result)) return this.complete(envelope, result);
    this.busy = true;
    const incarnation = this.incarnation;
    this.inFlight = Promise.resolve(result).then(
      (value) => {
        if (incarnation !== this.incarnation) return;
        this.busy = false;
        this.inFlight = undefined;
        this.complete(envelope, value);
        this.ready();
      },
      (error) => {
        if (incarnation !== this.incarnation) return;
        this.busy = false;
        this.inFlight = undefined;
        // A crash while the parent is already stopping us loses the message, not the parent's plan.
        if (this.state !== 'running') return this.settleFailed(envelope, asError(error));
        this.crash(envelope, asError(error));
      },
    );
  }

  private complete(envelope: Envelope, value: unknown): void {
    this.current = undefined;
    this.handledCount++;
    if (envelope.replyTo !== undefined && !this.answered) {
      if (this.definition.kind === 'handler') this.host.reply(envelope, value);
      else this.host.replyError(envelope, new NoReplyError(this.address, envelope.type));
    }
    this.mailbox.settle(envelope, HANDLED);
    if (this.stopRequested || this.behaviour?.done) this.exit(NORMAL);
  }

  private crash(envelope: Envelope, error: Error): void {
    this.current = undefined;
    this.failedCount++;
    this.settleFailed(envelope, error);
    this.exit({ kind: 'failure', error });
  }

  /** Gives a message that could not be handled back to the transport: dead letter or retry. */
  private settleFailed(envelope: Envelope, error: Error): void {
    if (this.mailbox.settle(envelope, { handled: false, error }) === 'dead-lettered') {
      this.host.deadLetter(envelope, crashedError(this.address, error), this.address);
    }
  }

  private createBehaviour(): Behaviour | Promise<Behaviour> {
    if (this.definition.kind !== 'handler') {
      const outcomes = { failed: (error: Error) => this.crashOutsideHandler(error), finished: () => this.stop() };
      return this.withFaults(machineBehaviour(this.definition, this, outcomes));
    }
    const handlers = this.definition.setup(this);
    if (!isThenable(handlers)) return this.withFaults(this.handlerBehaviour(handlers));
    return Promise.resolve(handlers).then((resolved) => this.withFaults(this.handlerBehaviour(resolved)));
  }

  private withFaults(behaviour: Behaviour): Behaviour {
    const inject = this.host.beforeHandle;
    if (!inject) return behaviour;
    // Wrapped only when a fault injector is set, so the normal path pays nothing for it.
    const receive = behaviour.receive;
    behaviour.receive = (envelope) => {
      inject(this.address, this.definition, envelope);
      return receive(envelope);
    };
    return behaviour;
  }

  private handlerBehaviour(handlers: Handlers<P>): Behaviour {
    const byType = handlers as Record<string, (body: unknown, context: unknown) => unknown>;
    return {
      receive: (envelope) => byType[envelope.type](envelope.body, this),
      dispose: () => {},
    };
  }

  // ---- the actor's context -----------------------------------------------------------------

  ref<Q extends AnyProtocol>(address: Address, protocol: Q): ActorRef<Q> {
    return new ActorRef(this.host, address, protocol, this.address);
  }

  reply(value: unknown): void {
    const envelope = this.current;
    if (!envelope || this.answered) return;
    this.answered = true;
    if (envelope.replyTo !== undefined) this.host.reply(envelope, value);
  }

  deferReply(): (value: unknown) => void {
    const envelope = this.current;
    this.answered = true;
    let sent = false;
    return (value) => {
      if (sent || !envelope || envelope.replyTo === undefined) return;
      sent = true;
      this.host.reply(envelope, value);
    };
  }

  spawn<Q extends AnyProtocol>(id: string, definition: ActorDefinition<Q>, options: SpawnOptions = {}): ActorRef<Q> {
    const child = this.host.createCell(definition, childAddress(this.address, id), this.children);
    this.children.add(id, child as ActorCell, options);
    child.start();
    return child.self as ActorRef<Q>;
  }

  readonly supervise = <A extends unknown[]>(callback: (...args: A) => unknown): ((...args: A) => void) => {
    const incarnation = this.incarnation;
    const fail = (error: unknown): void => {
      if (incarnation === this.incarnation) this.crashOutsideHandler(asError(error));
    };
    return (...args) => {
      if (incarnation !== this.incarnation) return;
      try {
        const result = callback(...args);
        if (isThenable(result)) result.then(undefined, fail);
      } catch (error) {
        fail(error);
      }
    };
  };

  /**
   * A failure outside any handler (a supervised spawned child restarted too often, a network
   * callback threw, a machine failed on a timer or in an invoked actor): this actor crashes, a message still in its handler is dead-lettered, and
   * its supervisor decides.
   */
  private crashOutsideHandler(error: Error): void {
    if (this.state !== 'running') return;
    const abandoned = this.busy ? this.current : undefined;
    this.current = undefined;
    if (abandoned) this.settleFailed(abandoned, error);
    this.exit({ kind: 'failure', error });
  }

  stop(): void {
    this.stopRequested = true;
    if (!this.busy && this.current === undefined && this.state === 'running') this.exit(NORMAL);
  }

  get stopping(): AbortSignal {
    if (this.ending === undefined) {
      this.ending = new AbortController();
      if (this.state !== 'running') this.ending.abort();
    }
    return this.ending.signal;
  }

  onStop(cleanup: () => void | Promise<void>): void {
    this.stopHooks.push(cleanup);
  }

  readonly timers: Timers<P> = {
    startSingle: (key, delayMs, type, body) => this.startTimer(key, delayMs, type, body, false),
    startPeriodic: (key, intervalMs, type, body) => this.startTimer(key, intervalMs, type, body, true),
    cancel: (key) => {
      this.timerTable.get(key)?.cancel();
      this.timerTable.delete(key);
    },
    isActive: (key) => this.timerTable.has(key),
  };

  private startTimer(key: string, delayMs: number, type: string, body: unknown, periodic: boolean): void {
    this.timers.cancel(key);
    const fire = (): void => {
      if (periodic) this.timerTable.set(key, this.clock.setTimer(delayMs, fire));
      else this.timerTable.delete(key);
      void this.self.tell(type as never, body as never).catch(() => {});
    };
    this.timerTable.set(key, this.clock.setTimer(delayMs, fire));
  }
}

/** The wrapper's own stack would only show this cell's internals; the cause carries the real one. */
function crashedError(address: Address, cause: Error): ActorCrashedError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ActorCrashedError(address, cause);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function runQuietly(hook: () => void | Promise<void>): Promise<void> {
  try {
    return Promise.resolve(hook()).catch(() => {});
  } catch {
    return Promise.resolve();
  }
}
