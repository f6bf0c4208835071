import { pino, type Logger } from 'pino';
import { Subject, filter, type Observable } from 'rxjs';
import { address as checkAddress, isWithin, type Address } from './address.ts';
import type { ActorStats } from './actor-stats.ts';
import type { ActorDefinition } from './actor.ts';
import { ActorRef, type AskOptions, type RefHost, type SendOptions } from './actor-ref.ts';
import { ActorCell } from './cell.ts';
import type { CellHost } from './cell-host.ts';
import type { Child, ChildStatus, ExitListener } from './child.ts';
import { admitFrame, type AdmissionGate } from './admission.ts';
import { DEFAULT_MAX_FRAME_BYTES } from './codec.ts';
import { LocalEnvelope, type Envelope } from './envelope.ts';
import {
  ActorStoppedError,
  DuplicateAddressError,
  InvalidAddressError,
  SystemStoppedError,
  UnknownAddressError,
} from './errors.ts';
import type { EventOf, SystemEvent, SystemEventKind } from './events.ts';
import { ACCEPTED, rejection } from './mailbox.ts';
import { DeadLetters } from './dead-letters.ts';
import { Replies } from './replies.ts';
import { RunQueue } from './run-queue.ts';
import { outgoingHeaders } from './trace-context.ts';
import { inReplySpace, REPLY_PREFIX } from './reply-address.ts';
import type { AnyProtocol } from './protocol.ts';
import { realPorts, type Clock, type Network, type Ports, type Random } from './ports/index.ts';
import type { Transport } from './ports/transport.ts';
import type { StopOptions, SystemOptions } from './system-options.ts';

export type { SystemOptions, StopOptions } from './system-options.ts';

/**
 * Spawns actors and supervision trees, resolves addresses, routes tells, asks and replies,
 * publishes lifecycle and message events, and stops gracefully.
 */
export class ActorSystem implements CellHost, RefHost {
  readonly name: string;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly network: Network;
  readonly links: Ports['links'];
  readonly replyAddress: Address;
  /** Every lifecycle and message event, as it happens. */
  readonly events: Observable<SystemEvent>;
  readonly counters: DeadLetters['counters'];

  private readonly subject = new Subject<SystemEvent>();
  private readonly dead: DeadLetters;
  private readonly cells = new Map<Address, ActorCell>();
  /** In start order; a Set, so removing one of 100,000 actors is not a search of them all. */
  private readonly roots = new Set<Child>();
  private readonly replies: Replies;
  private readonly askTimeoutMs: number;
  private readonly validateLocal: boolean;
  /** Where `deliverFrame` admits frames: to any address a cell of this system lives at. */
  private readonly gate: AdmissionGate;
  private stopped = false;
  readonly dispatch: (task: () => void) => void;
  readonly beforeHandle: SystemOptions['beforeHandle'];
  private givenLogger: Logger | undefined;

  constructor(options: SystemOptions) {
    const ports = realPorts(options.ports);
    this.name = checkAddress(options.name ?? 'local');
    this.transport = options.transport;
    this.clock = ports.clock;
    this.random = ports.random;
    this.network = ports.network;
    this.links = ports.links;
    this.dispatch = options.dispatch ?? new RunQueue().dispatch;
    this.beforeHandle = options.beforeHandle;
    this.givenLogger = options.logger;
    this.askTimeoutMs = options.askTimeoutMs ?? 5_000;
    this.validateLocal = options.validateLocal ?? true;
    this.gate = { maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, protocolAt: (to) => this.cells.get(to)?.protocol };
    this.events = this.subject.asObservable();
    this.dead = new DeadLetters(this);
    this.counters = this.dead.counters;
    this.replies = new Replies(this.transport, this.clock, this.random, (reply, reason) => this.dead.dropReply(reply, reason));
    this.replyAddress = this.replies.address;
    this.transport.listen?.({
      refused: (address, reason, envelope, frame) => this.dead.refused(address, reason, envelope, frame),
      answeredAtOnce: (envelope) => this.answerIfParked(envelope),
    });
  }

  /** Actors' logger; the silent default is made only when an actor first logs. */
  get logger(): Logger {
    return (this.givenLogger ??= pino({ level: 'silent' }));
  }

  /** Events of one kind, typed. */
  on<K extends SystemEventKind>(kind: K): Observable<EventOf<K>> {
    return this.events.pipe(filter((event): event is EventOf<K> => event.kind === kind));
  }

  /** Starts an unsupervised top-level actor (it is removed if it fails; supervise it to restart it). */
  spawn<P extends AnyProtocol>(definition: ActorDefinition<P>, at: Address): ActorRef<P> {
    const cell = this.createCell(definition, checkAddress(at), undefined);
    cell.start();
    this.roots.add(cell);
    return cell.self;
  }

  /** Adds a started top-level child (a supervisor tree) so `status` and `stop` include it. */
  addRoot(child: Child): void {
    this.roots.add(child);
  }

  /** A ref to whatever lives at `address`, typed by the protocol you expect there. */
  ref<P extends AnyProtocol>(address: Address, protocol?: P): ActorRef<P> {
    return new ActorRef(this, checkAddress(address), protocol);
  }

  /** The local cell at `address`, if one lives here. */
  lookup(address: Address): ActorCell | undefined {
    return this.cells.get(address);
  }

  /** The supervision trees and actors of this system, in start order. */
  status(): ChildStatus[] {
    return [...this.roots].map((root) => root.status());
  }

  // ---- sending ---------------------------------------------------------------------------

  tell(ref: ActorRef<AnyProtocol>, type: string, body: unknown, options: SendOptions | undefined): Promise<void> {
    // Its id is drawn only if something reads it (the codec, a broker's dedupe): see `LocalEnvelope`.
    const headers = options === undefined ? undefined : outgoingHeaders(options, undefined);
    if (headers instanceof Error) return rejection(headers);
    const envelope = new LocalEnvelope(this.random, ref.address, ref.from, type, body, headers, undefined, 0);
    return this.stopped ? rejection(new SystemStoppedError()) : this.send(envelope, ref);
  }

  ask(ref: ActorRef<AnyProtocol>, type: string, body: unknown, options: AskOptions | undefined): Promise<unknown> {
    // An actor's ask carries the trace of the message it handles, unless told otherwise.
    const inherited = ref.from === undefined ? undefined : this.cells.get(ref.from)?.traceparent;
    const headers = outgoingHeaders(options, inherited);
    if (headers instanceof Error) return rejection(headers);
    const id = this.random.id();
    const timeoutMs = options?.timeoutMs ?? this.askTimeoutMs;
    const envelope: Envelope = {
      id,
      to: ref.address,
      from: ref.from,
      type,
      body,
      correlationId: id,
      replyTo: this.replyAddress,
      headers,
      expiresInMs: timeoutMs,
      delivery: options?.delivery,
      attempt: 0,
    };
    if (this.stopped) return rejection(new SystemStoppedError());
    // Nobody will answer an actor its supervisor left down: say so now, not after the timeout.
    if (this.cells.get(ref.address)?.parked) return rejection(new ActorStoppedError(ref.address));
    const reply = this.replies.wait(id, ref.address, type, ref.protocol, timeoutMs);
    this.send(envelope, ref).catch((error: Error) => this.replies.fail(id, error));
    return reply;
  }

  /**
   * Hands an envelope to its route; refs remember the route so the next send skips the lookup.
   * The message is checked first against the receiver's protocol when the route knows it (objects
   * handed over in-process), else against the ref's: a wrong one is refused to the sender, typed,
   * and never reaches (nor crashes) the receiver. `checked`: validated already (bytes from outside).
   */
  private send(envelope: Envelope, ref?: ActorRef<AnyProtocol>, checked = false): Promise<void> {
    let route = ref?.route;
    if (route === undefined || !route.open) {
      route = this.transport.route(envelope.to);
      if (route === undefined) {
        const error = new UnknownAddressError(envelope.to);
        this.deadLetter(envelope, error, envelope.to);
        return rejection(error);
      }
      if (ref) ref.route = route;
    }
    const protocol = checked ? undefined : (route.protocol ?? ref?.protocol);
    if (protocol !== undefined) {
      const refused = this.check(envelope, protocol);
      if (refused) return refused;
    }
    const accepted = route.send(envelope);
    if (accepted !== ACCEPTED) accepted.catch((error: Error) => this.dead.reject(envelope, error));
    return accepted;
  }

  /** Validates with the protocol's compiled zod schema; the receiver still gets the very object sent. */
  private check(envelope: Envelope, protocol: AnyProtocol): Promise<never> | undefined {
    const refused = protocol.refusal(envelope.type, envelope.body, this.validateLocal);
    if (refused === undefined) return undefined;
    this.dead.reject(envelope, refused);
    return rejection(refused);
  }

  // ---- replies (see `Replies`) -----------------------------------------------------------

  reply(request: Envelope, value: unknown): void {
    this.replies.reply(request, value);
  }

  replyError(request: Envelope, error: Error): void {
    this.replies.replyError(request, error);
  }

  // ---- bytes from outside ------------------------------------------------------------------

  /**
   * Accepts an encoded envelope from outside the process (a socket, a link): decodes it,
   * validates it against the receiver's protocol and delivers it. Whatever fails is rejected
   * with a typed error, counted and dead-lettered; the promise rejects with that error.
   */
  deliverFrame(frame: Uint8Array): Promise<void> {
    const admission = admitFrame(frame, this.gate);
    if (admission.refused) {
      const { envelope } = admission;
      return this.refuse(envelope?.to ?? '', admission.refused, envelope, envelope ? undefined : frame);
    }
    return this.send(admission.envelope, undefined, true);
  }

  private refuse(address: Address, reason: Error, envelope: Envelope | undefined, frame: Uint8Array | undefined): Promise<never> {
    this.dead.refused(address, reason, envelope, frame);
    return rejection(reason);
  }

  // ---- cells, events, dead letters ----------------------------------------------------------

  createCell<P extends AnyProtocol>(
    definition: ActorDefinition<P>,
    address: Address,
    parent: ExitListener | undefined,
  ): ActorCell<P> {
    if (this.stopped) throw new SystemStoppedError();
    if (this.cells.has(address)) throw new DuplicateAddressError(address);
    if (inReplySpace(address)) throw new InvalidAddressError(address, `'${REPLY_PREFIX}' is reserved for reply addresses`);
    const cell = new ActorCell(this, definition, address, parent);
    this.cells.set(address, cell as unknown as ActorCell);
    return cell;
  }

  unregister(cell: ActorCell): void {
    if (this.cells.get(cell.address) === cell) this.cells.delete(cell.address);
    this.roots.delete(cell);
  }

  emit(event: SystemEvent): void {
    this.subject.next(event);
  }

  countDeadLetter(at: Address): void {
    const cell = this.cells.get(at);
    if (cell) cell.figures.deadLettered++;
  }

  countRefused(at: Address): void {
    const cell = this.cells.get(at);
    if (cell) cell.figures.refused++;
  }

  /** The live figures of every actor of this system at or under `within` (all of them when undefined). */
  actorStats(within?: Address): ActorStats[] {
    const stats: ActorStats[] = [];
    for (const [address, cell] of this.cells) if (within === undefined || isWithin(address, within)) stats.push(cell.stats());
    return stats;
  }

  /** The addresses of this system's actors at or under `within` (all of them when undefined), unordered. */
  actorAddresses(within?: Address): Address[] {
    const addresses: Address[] = [];
    for (const address of this.cells.keys()) if (within === undefined || isWithin(address, within)) addresses.push(address);
    return addresses;
  }

  /** The live figures of the actor at `address`, if one lives here. */
  actorStatsOf(address: Address): ActorStats | undefined {
    return this.cells.get(address)?.stats();
  }

  /** See `DeadLetters.deadLetter`. */
  deadLetter(envelope: Envelope, reason: Error, at: Address): void {
    this.dead.deadLetter(envelope, reason, at);
  }

  /**
   * An ask that reached this node through a broker for an actor its supervisor keeps down: answered
   * at once with `ActorStoppedError`, as an ask sent in this process is, instead of waiting unread.
   */
  private answerIfParked(envelope: Envelope): boolean {
    if (!this.cells.get(envelope.to)?.parked) return false;
    const error = new ActorStoppedError(envelope.to);
    this.dead.reject(envelope, error);
    this.replyError(envelope, error);
    return true;
  }

  // ---- stopping --------------------------------------------------------------------------

  /**
   * Stops gracefully: waits until every mailbox is drained (at most `drainTimeoutMs` on the
   * system clock), then stops the top-level children in reverse start order, each with its own
   * shutdown (supervisors stop their children in reverse order too).
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopped) return;
    const drainTimeoutMs = options.drainTimeoutMs ?? 5_000;
    if (drainTimeoutMs > 0) await this.drained(drainTimeoutMs);
    this.stopped = true;
    for (const root of [...this.roots].reverse()) {
      await root.shutdown(options.shutdown ?? (root.kind === 'supervisor' ? 'infinity' : 5_000));
    }
    // The system stops, no address is freed: durable mailboxes stay for the next start.
    for (const cell of [...this.cells.values()]) cell.dispose(false);
    this.replies.close();
    this.subject.complete();
  }

  /** Resolves when no mailbox holds a message and no handler runs, or when the time is up. */
  private async drained(timeoutMs: number): Promise<void> {
    let expired = false;
    const timer = this.clock.setTimer(timeoutMs, () => (expired = true));
    const idle = () => [...this.cells.values()].every((cell) => cell.idle);
    while (!expired && !idle()) await new Promise((resolve) => setImmediate(resolve));
    timer.cancel();
  }
}
