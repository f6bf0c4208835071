/*
 * One file, over the usual size, on purpose: the drain loop, the completion of a message and the
 * ending of an incarnation read and write the same few fields (state, current incarnation,
 * scheduled, pending) in an order that is the actor's correctness; split across files, those
 * writes would hide behind accessors on the hot path. What can live apart already does: the
 * incarnation (incarnation.ts), its context, timers and resources, the live figures
 * (actor-figures.ts), the behaviours and the run queue.
 */
import type { Logger } from 'pino';
import type { Address } from './address.ts';
import type { ActorDefinition } from './actor.ts';
import { configOf } from './actor-config.ts';
import { ActorRef } from './actor-ref.ts';
import { createBehaviour, type Behaviour } from './behaviour.ts';
import type { CellHost } from './cell-host.ts';
import { ActorFigures } from './actor-figures.ts';
import type { ActorStats } from './actor-stats.ts';
import type { Child, ChildStatus, ExitListener, Shutdown } from './child.ts';
import type { Envelope } from './envelope.ts';
import { ActorStoppedError, NoReplyError, ShutdownTimeoutError } from './errors.ts';
import { NORMAL, SHUTDOWN, type ExitReason } from './events.ts';
import { Incarnation, type IncarnationOwner } from './incarnation.ts';
import type { ReplySink } from './late-reply.ts';
import { traceparentOf } from './trace-context.ts';
import { IncarnationContext, type ContextCell } from './incarnation-context.ts';
import type { MachineOutcomes } from './machine-behaviour.ts';
import { asError, crashedError, isThenable } from './outcome.ts';
import type { Timer } from './ports/clock.ts';
import { DEFAULT_MAILBOX, type Mailbox, type MailboxOptions, type Settlement } from './ports/transport.ts';
import type { AnyProtocol } from './protocol.ts';

/** What a plain handler's start passes for a machine's outcomes: never called. */
const noOutcomes = (): MachineOutcomes => {
  throw new Error('a plain handler has no machine outcomes');
};

/** Messages handled in one go before the cell yields to other actors. */
const THROUGHPUT = 256;
const HANDLED: Settlement = { handled: true };
/** The handler threw (or rejected) on the message: it is never handled again. */
const CRASHED = false;
/** The handling never finished: the actor was stopped, killed or failed elsewhere first. */
const ABANDONED = true;

/** `running` (its setup may still run), `stopping` (a graceful shutdown), `stopped`, `failed`, `disposed` (for good). */
type CellState = 'running' | 'stopping' | 'stopped' | 'failed' | 'disposed';

/**
 * The runtime of one actor address: its mailbox, which outlives incarnations, the current
 * incarnation (everything one lifetime holds, see `Incarnation`), the drain loop that hands it one
 * message at a time, and the one way an incarnation ends (`endNow`, or the graceful `shutdown`).
 * Handlers never see the cell: each incarnation gets its own `IncarnationContext`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a cell of any protocol
export class ActorCell<P extends AnyProtocol = any> implements Child, ContextCell<P>, IncarnationOwner {
  readonly kind = 'actor';
  readonly self: ActorRef<P>;
  readonly mailbox: Mailbox;
  readonly protocol: P;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the definition, for its context
  readonly config: any;
  /** Its parent's mark, not a state of its own: down until started again (see `Child.park`). */
  parked = false;

  private state: CellState = 'stopped';
  /** The live incarnation; undefined between incarnations. Whatever completes for another one is late. */
  private current: Incarnation | undefined;
  private scheduled = false;
  private logger: Logger | undefined;
  private started = 0;
  /** Starts after an exit of its own or an operator's restart; a start after a park (a stop meant to last) is none. */
  private restarts = 0;
  private handledCount = 0;
  private failedCount = 0;
  private figuresMade: ActorFigures | undefined;
  private readonly mailboxOptions: MailboxOptions;

  constructor(
    readonly host: CellHost,
    readonly definition: ActorDefinition<P>,
    readonly address: Address,
    private readonly parent: ExitListener | undefined,
  ) {
    this.config = configOf(definition, `of actor ${address}`);
    this.protocol = definition.protocol;
    this.self = new ActorRef(host, address, definition.protocol, address);
    // No copy of the defaults per actor when the definition changes none of them.
    const options = definition.mailbox ? { ...DEFAULT_MAILBOX, ...definition.mailbox } : DEFAULT_MAILBOX;
    this.mailboxOptions = options;
    this.mailbox = host.transport.openMailbox(address, options, definition.protocol);
    this.self.route = this.mailbox.ownRoute;
  }

  park(): void { this.parked = true; }
  get running(): boolean { return this.state === 'running'; }
  get log(): Logger { return (this.logger ??= this.host.logger.child({ address: this.address })); }
  get settingUp(): Promise<boolean> | undefined { return this.current?.settingUp; }

  /** Nothing waits in the mailbox and no handler (nor setup) runs. */
  get idle(): boolean {
    return this.current?.pending === undefined && (this.state !== 'running' || this.mailbox.depth === 0);
  }

  status(): ChildStatus {
    const children = this.current?.childStatuses();
    return {
      address: this.address,
      kind: 'actor',
      state: this.state === 'failed' || this.state === 'running' ? this.state : 'stopped',
      restarts: this.restarts,
      mailboxDepth: this.mailbox.depth,
      handled: this.handledCount,
      failed: this.failedCount,
      ...(children ? { children } : {}),
    };
  }

  /**
   * The rest of its live figures (see `stats`); the system counts dead letters and refusals in
   * them. Made with the first message or reading: 100,000 idle actors hold none.
   */
  get figures(): ActorFigures {
    return (this.figuresMade ??= new ActorFigures());
  }

  /** Its live figures (see `ActorStats`); `behaviour.stateValue` reads a machine's current state. */
  stats(): ActorStats {
    return this.figures.stats({
      address: this.address,
      state: this.state === 'failed' || this.state === 'running' ? this.state : 'stopped',
      incarnation: this.started,
      restarts: this.restarts,
      depth: this.mailbox.depth,
      mailbox: this.mailboxOptions,
      handled: this.handledCount,
      failed: this.failedCount,
      behaviour: this.definition.kind,
      machineState: this.current?.behaviour?.stateValue?.(),
    });
  }

  /** The W3C traceparent of the message in its handler, if it carries one. */
  get traceparent(): string | undefined {
    return traceparentOf(this.current?.handling?.headers);
  }

  /** Where a late answer goes (`ctx.replyLater`): to the asker, its latency recorded on the way. */
  get lateReplies(): ReplySink {
    return this.figures.lateReplies(this.host);
  }

  /** An ask this actor took is being answered (by its handler, `ctx.reply`, or later): its latency is recorded. */
  answered(request: Envelope): void {
    this.figures.answered(request, this.host.clock);
  }

  /** The ask in hand will be answered after its handler returned (`replyLater`). */
  answersLater(request: Envelope): void {
    this.figures.answersLater(request);
  }

  private noteExit(reason: ExitReason): void {
    this.figures.exited(reason, this.host.clock.now());
  }

  /**
   * Starts a fresh incarnation on the same mailbox; throws when `setup` throws. An async `setup`
   * keeps messages waiting until it resolves; if it rejects, the actor fails and its parent decides.
   */
  start(): void {
    if (this.state === 'disposed') throw new ActorStoppedError(this.address);
    if (this.state === 'running') return;
    if (this.current) this.kill(this.current, new ActorStoppedError(this.address)); // a graceful stop still running is cut short
    const restart = this.started > 0 && !this.parked;
    this.parked = false;
    const inc = new Incarnation(this);
    this.current = inc;
    this.state = 'running';
    let behaviour: Behaviour | Promise<Behaviour>;
    try {
      // What a machine does on its own, outside any message, is acted on at once.
      // Made for machines only: a plain handler's start allocates no closures for them.
      const outcomes = this.definition.kind === 'handler' ? noOutcomes : (): MachineOutcomes => ({ failed: (error) => this.crashed(inc, error), finished: () => this.stopAfterMessage(inc) });
      behaviour = createBehaviour(this.definition, new IncarnationContext(this, inc), outcomes, this.host.beforeHandle);
    } catch (error) {
      this.endNow(inc, 'failed');
      throw error;
    }
    this.started++;
    if (restart) this.restarts++;
    if (!isThenable(behaviour)) return this.begin(inc, behaviour);
    // Messages wait while an async setup runs; a rejection fails the actor and its parent decides.
    inc.awaitSetup(behaviour, (resolved) => this.setUp(inc, resolved), (error) => {
      if (inc === this.current && this.state === 'running') this.exit(inc, { kind: 'failure', error });
    });
  }

  /** The incarnation is set up: it says so and takes its messages. */
  private begin(inc: Incarnation, behaviour: Behaviour): void {
    inc.behaviour = behaviour;
    this.host.emit({ kind: 'started', address: this.address, at: this.host.clock.now() });
    this.mailbox.attach(this.wake);
  }

  /** An async setup resolved: the incarnation runs, unless it was killed or is being stopped meanwhile. */
  private setUp(inc: Incarnation, behaviour: Behaviour): boolean {
    if (inc !== this.current) return behaviour.dispose(), false;
    // The shutdown in progress waited for this setup: it ends the incarnation (and disposes the behaviour).
    if (this.state !== 'running') return (inc.behaviour = behaviour), false;
    this.begin(inc, behaviour);
    if (inc.stopAsked) this.exit(inc, NORMAL);
    return true;
  }

  /** Stops on the parent's behalf (the parent is not told, since it asked): gracefully, killed past `within`. */
  async shutdown(within: Shutdown): Promise<void> {
    const inc = this.current;
    if (this.state !== 'running' || inc === undefined) return;
    this.state = 'stopping';
    this.mailbox.detach();
    inc.close();
    if (within === 'brutal') return this.kill(inc, new ShutdownTimeoutError(this.address, 0));
    const graceful = this.finishGracefully(inc);
    if (within === 'infinity') return graceful;
    let timer: Timer | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = this.host.clock.setTimer(within, () => resolve('timeout'))));
    const outcome = await Promise.race([graceful, timedOut]);
    timer?.cancel();
    if (outcome === 'timeout') this.kill(inc, new ShutdownTimeoutError(this.address, within));
  }

  /** Waits for the message in its handler, then ends gracefully; a kill past the shutdown may overtake it. */
  private async finishGracefully(inc: Incarnation): Promise<void> {
    await inc.pending;
    if (inc !== this.current) return;
    await inc.end(true);
    if (inc !== this.current) return;
    this.current = undefined;
    this.state = 'stopped';
    this.noteExit(SHUTDOWN);
    this.host.emit({ kind: 'stopped', address: this.address, at: this.host.clock.now(), reason: SHUTDOWN });
  }

  /**
   * Removes the actor for good: its address is freed and waiting messages are dead-lettered.
   * `freed: false` when the whole system stops: a durable mailbox then stays for the next start.
   */
  dispose(freed = true): void {
    if (this.state === 'disposed') return;
    if (this.current) this.kill(this.current, new ActorStoppedError(this.address));
    this.state = 'disposed';
    for (const envelope of this.mailbox.close()) this.host.deadLetter(envelope, new ActorStoppedError(this.address), this.address);
    if (freed) this.mailbox.free?.();
    this.host.unregister(this);
  }

  /** Ends the incarnation at once, on its parent's behalf; a message still in its handler is dead-lettered. */
  private kill(inc: Incarnation, error: Error): void {
    if (inc !== this.current) return;
    const abandoned = inc.pending ? inc.handling : undefined;
    this.endNow(inc, 'stopped');
    this.noteExit({ kind: 'killed', error });
    if (abandoned) this.settleFailed(abandoned, error, ABANDONED);
    this.host.emit({ kind: 'stopped', address: this.address, at: this.host.clock.now(), reason: { kind: 'killed', error } });
  }

  /** The actor ended on its own: a crash or a normal stop. Its parent decides what next. */
  private exit(inc: Incarnation, reason: ExitReason): void {
    if (inc !== this.current) return;
    this.endNow(inc, reason.kind === 'normal' ? 'stopped' : 'failed');
    this.noteExit(reason);
    const at = this.host.clock.now();
    if (reason.kind === 'failure') this.host.emit({ kind: 'failed', address: this.address, at, error: reason.error });
    this.host.emit({ kind: 'stopped', address: this.address, at, reason });
    if (this.parent) this.parent.childExited(this, reason);
    else this.dispose();
  }

  /** The one way an incarnation ends at once: forgotten first (so all it still completes is late), then released. */
  private endNow(inc: Incarnation, state: 'stopped' | 'failed'): void {
    this.current = undefined;
    this.state = state;
    this.mailbox.detach();
    void inc.end(false);
  }

  /**
   * A failure outside any handler (a supervised spawned child restarted too often, a network
   * callback threw, a machine failed on a timer or in an invoked actor): this actor crashes, a
   * message still in its handler is dead-lettered, and its supervisor decides.
   */
  crashed(inc: Incarnation, error: Error): void {
    if (inc !== this.current || this.state !== 'running') return;
    const abandoned = inc.pending ? inc.handling : undefined;
    inc.handling = undefined;
    if (abandoned) this.settleFailed(abandoned, error, ABANDONED);
    this.exit(inc, { kind: 'failure', error });
  }

  superseded(inc: Incarnation): boolean {
    return this.current !== undefined && this.current !== inc;
  }

  /** `ctx.stop()`, or a machine's final state: ends the incarnation once its message is handled. */
  stopAfterMessage(inc: Incarnation): void {
    inc.stopAsked = true;
    if (inc === this.current && this.state === 'running' && inc.pending === undefined && inc.handling === undefined) this.exit(inc, NORMAL);
  }

  /** `ready`, bound once per actor for its mailbox (a bound method: no closure of its own). */
  private readonly wake: () => void = this.ready.bind(this);

  private ready(): void {
    if (this.scheduled || this.state !== 'running' || this.current?.pending !== undefined) return;
    this.scheduled = true;
    // Made with the first message: an actor that never gets one has no drain closure.
    this.host.dispatch((this.drainer ??= this.drain.bind(this)));
  }

  /** `drain`, bound, for the dispatcher. */
  private drainer: (() => void) | undefined;

  private drain(): void {
    this.scheduled = false;
    for (let budget = THROUGHPUT; budget > 0; budget--) {
      // Read each time: a crash may end the incarnation, and a parent start the next, mid-loop.
      const inc = this.current;
      if (inc === undefined || inc.pending !== undefined || this.state !== 'running') return;
      const envelope = this.mailbox.take();
      if (envelope === undefined) return;
      this.figures.taken++;
      this.handle(inc, envelope);
    }
    if (this.mailbox.depth > 0) this.ready();
  }

  private handle(inc: Incarnation, envelope: Envelope): void {
    inc.handling = envelope;
    inc.answered = false;
    if (envelope.replyTo !== undefined) this.figures.askTaken(envelope, this.host.clock.now());
    let result: unknown;
    try {
      result = inc.behaviour!.receive(envelope);
    } catch (error) {
      return this.crash(inc, envelope, asError(error));
    }
    if (!isThenable(result)) return this.complete(inc, envelope, result);
    inc.pending = Promise.resolve(result).then(
      (value) => {
        if (inc !== this.current) return;
        inc.pending = undefined;
        this.complete(inc, envelope, value);
        this.ready();
      },
      (error) => {
        if (inc !== this.current) return;
        inc.pending = undefined;
        // A crash while the parent is already stopping us loses the message, not the parent's plan.
        if (this.state !== 'running') return this.settleFailed(envelope, asError(error), CRASHED);
        this.crash(inc, envelope, asError(error));
      },
    );
  }

  private complete(inc: Incarnation, envelope: Envelope, value: unknown): void {
    inc.handling = undefined;
    this.handledCount++;
    if (envelope.replyTo !== undefined && !inc.answered) {
      this.answered(envelope);
      if (this.definition.kind === 'handler') this.host.reply(envelope, value);
      else this.host.replyError(envelope, new NoReplyError(this.address, envelope.type));
    }
    this.mailbox.settle(envelope, HANDLED);
    if (inc.stopAsked || inc.behaviour?.done) this.exit(inc, NORMAL);
  }

  private crash(inc: Incarnation, envelope: Envelope, error: Error): void {
    inc.handling = undefined;
    this.failedCount++;
    this.settleFailed(envelope, error, CRASHED);
    this.exit(inc, { kind: 'failure', error });
  }

  /** Gives a message that was not handled back to the transport: dead-lettered, or delivered again when abandoned. */
  private settleFailed(envelope: Envelope, error: Error, abandoned: boolean): void {
    if (this.mailbox.settle(envelope, { handled: false, error, abandoned }) === 'dead-lettered') {
      this.host.deadLetter(envelope, crashedError(this.address, error), this.address);
    }
  }
}
