import {
  DEFAULT_MAX_ATTEMPTS,
  ActorSystem,
  seededRandom,
  type ActorDefinition,
  type Clock,
  type Envelope,
  type Random,
  type SystemEvent,
} from '../lib/index.ts';
import {
  DeliveryLedger,
  FaultDice,
  NO_FAULTS,
  SimBroker,
  SimDurableTransport,
  SimLinks,
  SimLocalTransport,
  SimNetwork,
  SimScheduler,
  Trace,
  type BrokerOptions,
  type Breakage,
  type DurableOptions,
  type FaultRates,
  type LocalRegistry,
  type NodeIncarnation,
  type RunOutcome,
  type ScheduledFault,
  type WorldParts,
} from '../transports/sim/index.ts';
import { isCrashable, markCrashable } from './crashable.ts';
import { FaultNotAppliedError, ScenarioMisuseError, SimulatedCrashError } from './errors.ts';

export type TransportMode = 'durable' | 'in-process';

export interface WorldOptions {
  /** Mailboxes in a simulated RabbitMQ-like broker (`durable`) or in process memory. */
  transport: TransportMode;
  faults: FaultRates;
  broker: BrokerOptions;
  durable: Omit<DurableOptions, 'breakage'>;
  /** After this virtual time nothing new breaks; partitions heal. */
  calmAt: number;
  /** Once calm (and every crashed part restarted), all pending work must finish within this. */
  settleWithinMs: number;
  /** The asks' default timeout on every node. */
  askTimeoutMs: number;
  /** How long the broker takes to notice a dead consumer (heartbeat). */
  heartbeatMs: number;
  /** A deliberate breakage, only for proving the invariants catch it. */
  breakage: Breakage | undefined;
}

export const DEFAULT_WORLD: WorldOptions = {
  transport: 'durable',
  faults: NO_FAULTS,
  broker: { prefetch: 32, ackTimeoutMs: 1_000 },
  durable: { confirmTimeoutMs: 200, maxAttempts: DEFAULT_MAX_ATTEMPTS, dedupeWindow: 100_000 },
  calmAt: 2_000,
  settleWithinMs: 10_000,
  askTimeoutMs: 1_000,
  heartbeatMs: 100,
  breakage: undefined,
};

/** A lifecycle event as the invariants read it. */
export interface LifecycleRecord {
  readonly at: number;
  readonly node: string;
  readonly kind: SystemEvent['kind'];
  readonly address: string;
  readonly code: string | undefined;
}

/** The shape of a supervision tree the world needs to check intensities (structurally a `SupervisorSpec`). */
export interface WatchedTree {
  readonly intensity: { readonly maxRestarts: number; readonly withinMs: number };
  readonly children: readonly { readonly id: string; readonly start: unknown }[];
}

/** Builds (or rebuilds, after a crash) what runs on a node: its actors and trees on `node.system`. */
export type NodeStart = (node: SimNode) => void;

/** One life of a node: its transport and dead-or-alive flag are its own, never shared with the next. */
class Incarnation implements NodeIncarnation {
  alive = true;
  constructor(
    readonly name: string,
    readonly incarnation: number,
  ) {}

  get key(): string {
    return `${this.name}#${this.incarnation}`;
  }
}

/** A named node: one `ActorSystem` per incarnation, abandoned without a stop when the node crashes. */
export class SimNode {
  private life: Incarnation | undefined;
  system!: ActorSystem;
  transport!: SimDurableTransport | SimLocalTransport;

  constructor(
    readonly world: SimWorld,
    readonly name: string,
    readonly start: NodeStart,
  ) {}

  get incarnation(): number {
    return this.life?.incarnation ?? 0;
  }

  get alive(): boolean {
    return this.life?.alive ?? false;
  }

  /** `name#incarnation` of the current (or last) incarnation. */
  get key(): string {
    return `${this.name}#${this.incarnation}`;
  }

  /** Begins the next incarnation. */
  nextLife(): NodeIncarnation {
    this.life = new Incarnation(this.name, this.incarnation + 1);
    return this.life;
  }

  /** Ends the current incarnation; everything it left behind stays inert. */
  die(): void {
    if (this.life) this.life.alive = false;
  }
}

/** Mixes a label into the seed, so each consumer of randomness gets its own stream. */
function deriveSeed(seed: number, label: string): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/**
 * One seeded, simulated world: a single event queue and virtual clock, seeded randomness, a
 * network of named hosts, a broker, the nodes' real actor systems plugged into those ports,
 * the faults the seed injects, a trace of everything and a ledger for the invariants.
 */
export class SimWorld implements WorldParts {
  readonly options: WorldOptions;
  readonly scheduler: SimScheduler;
  readonly trace: Trace;
  readonly ledger = new DeliveryLedger();
  readonly dice: FaultDice;
  readonly network: SimNetwork;
  readonly links: SimLinks;
  readonly broker: SimBroker;
  /** Randomness for scenario authors' choices (workload, fault times): its own stream of the seed. */
  readonly random: Random;
  readonly nodes = new Map<string, SimNode>();
  readonly lifecycle: LifecycleRecord[] = [];
  readonly watched = new Map<string, WatchedTree>();
  /**
   * Messages a handler crashed on (dead-lettered `ACTOR_CRASHED`): on every transport they are
   * dead-lettered once and never handled again, so a scenario counts them as accounted for.
   */
  readonly crashedOn: Envelope[] = [];
  /** Node incarnations that crashed (`name#n`). */
  readonly crashed = new Set<string>();
  /** When the last crashed part came back (or calm began), whichever is later. */
  healedAt: number;
  outcome: RunOutcome | undefined;
  /** Scheduled faults that could not apply; each fails the run (invariant `faults-applied`). */
  readonly unappliedFaults: FaultNotAppliedError[] = [];
  private readonly localRegistry: LocalRegistry = new Map();
  /** Scheduled actor crashes not yet applied: address → when scheduled. */
  private readonly pendingCrashes = new Map<string, number>();
  /** The actor whose code runs now (its handler, its timer), so the timers it sets are labelled with it. */
  private runningActor: string | undefined;

  constructor(
    readonly seed: number,
    options: Partial<WorldOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORLD, ...options };
    this.scheduler = new SimScheduler(seededRandom(deriveSeed(seed, 'scheduler')).next);
    this.trace = new Trace(() => this.scheduler.now());
    this.dice = new FaultDice(seededRandom(deriveSeed(seed, 'faults')), this.options.faults);
    this.random = seededRandom(deriveSeed(seed, 'scenario'));
    this.network = new SimNetwork(this.scheduler, this.dice, this.trace);
    this.links = new SimLinks(this.network, this.trace);
    this.broker = new SimBroker(this.scheduler, this.network, this.trace, this.ledger, this.options.broker);
    this.healedAt = this.options.calmAt;
    this.trace.record('world', `seed=${seed} transport=${this.options.transport} breakage=${this.options.breakage ?? 'none'}`);
  }

  get now(): number {
    return this.scheduler.now();
  }

  /** Runs `what` at virtual time `at` (the scenario's workload). */
  at(at: number, what: () => void): void {
    this.scheduler.setTimer(at - this.now, what);
  }

  // ---- nodes -------------------------------------------------------------------------------

  addNode(name: string, start: NodeStart): SimNode {
    const node = new SimNode(this, name, start);
    this.nodes.set(name, node);
    this.boot(node);
    return node;
  }

  node(name: string): SimNode {
    const node = this.nodes.get(name);
    if (!node) throw new ScenarioMisuseError(`seed ${this.seed}`, `no simulated node '${name}'`);
    return node;
  }

  /** Records a supervision tree so the intensity invariant can check it (nested trees too). */
  watchSupervisor(address: string, tree: WatchedTree): void {
    this.watched.set(address, tree);
    for (const child of tree.children) {
      const start = child.start as Partial<WatchedTree> & { kind?: string };
      if (start.kind === 'supervisor') this.watchSupervisor(`${address}/${child.id}`, start as WatchedTree);
    }
  }

  private boot(node: SimNode): void {
    const life = node.nextLife();
    const live = () => life.alive;
    const clock: Clock = {
      now: () => this.scheduler.now(),
      setTimer: (delayMs, fire) => {
        const owner = this.runningActor;
        return this.scheduler.setTimer(delayMs, () => (live() ? this.runAs(owner, fire) : undefined), `${life.key} ${owner ?? '(no actor: the system, or code after an await)'}`);
      },
    };
    const durable = { ...this.options.durable, breakage: this.options.breakage };
    node.transport = this.options.transport === 'durable'
      ? new SimDurableTransport(this, life, durable)
      : new SimLocalTransport(this, life, this.localRegistry);
    node.system = new ActorSystem({
      name: node.name,
      transport: node.transport,
      ports: { clock, random: seededRandom(deriveSeed(this.seed, life.key)), network: this.network.portFor(node.name), links: this.links.portFor(node.name) },
      dispatch: (task) => this.scheduler.dispatch(() => (live() ? this.runAs(undefined, task) : undefined)),
      askTimeoutMs: this.options.askTimeoutMs,
      beforeHandle: (address, definition) => {
        this.runningActor = address;
        if (isCrashable(definition, this) && this.shouldCrash(address)) throw new SimulatedCrashError(address);
      },
    });
    const key = life.key;
    node.system.events.subscribe((event) => {
      if (live()) this.recordLifecycle(key, event);
    });
    this.trace.record('node', `start ${key}`);
    node.start(node);
  }

  private runAs(actor: string | undefined, task: () => void): void {
    const before = this.runningActor;
    this.runningActor = actor;
    try {
      task();
    } finally {
      this.runningActor = before;
    }
  }

  private recordLifecycle(node: string, event: SystemEvent): void {
    const error = event.kind === 'failed' ? event.error : undefined;
    const code = (error as { code?: string } | undefined)?.code;
    this.lifecycle.push({ at: this.now, node, kind: event.kind, address: event.address, code });
    if (event.kind === 'dead-lettered' && event.envelope && (event.reason as { code?: string }).code === 'ACTOR_CRASHED') this.crashedOn.push(event.envelope);
    const detail = event.kind === 'dead-lettered' || event.kind === 'rejected' ? ` ${event.envelope?.id ?? ''} ${event.reason.message}` : '';
    this.trace.record('life', `${node} ${event.kind} ${event.address}${code ? ' ' + code : ''}${detail}`);
  }

  // ---- faults -------------------------------------------------------------------------------

  /** Abandons the node's system without a stop; it boots again from `start` after `restartAfterMs`. */
  crashNode(name: string, restartAfterMs: number): void {
    const node = this.node(name);
    if (!node.alive) return;
    const key = node.key;
    node.die();
    this.links.hostDown(name);
    this.crashed.add(key);
    this.trace.record('fault', `crash-node ${key}`);
    if (node.transport instanceof SimLocalTransport) node.transport.abandon();
    this.scheduler.setTimer(this.options.heartbeatMs, () => this.broker.consumerLost(key));
    this.healedAt = Math.max(this.healedAt, this.now + restartAfterMs);
    this.scheduler.setTimer(restartAfterMs, () => this.boot(node));
  }

  /** The broker dies (unacked deliveries come back, confirmed messages survive) and restarts. */
  crashBroker(restartAfterMs: number): void {
    if (!this.broker.up) return;
    this.broker.crash();
    this.healedAt = Math.max(this.healedAt, this.now + restartAfterMs);
    this.scheduler.setTimer(restartAfterMs, () => {
      this.broker.restart();
      for (const node of this.nodes.values()) {
        const transport = node.transport;
        if (transport instanceof SimDurableTransport) this.scheduler.setTimer(10 + this.random.int(40), () => transport.reconnect());
      }
    });
  }

  /**
   * The next message `address` handles makes it crash. It must be hosted (on `node`, when given)
   * by an actor marked `crashable` and handle a message before the run ends, or the run fails
   * with `FaultNotAppliedError`.
   */
  crashActor(address: string, node?: string): void {
    const reason = this.whyNotCrashable(address, node);
    if (reason !== undefined) return this.notApplied('crash-actor', address, reason);
    this.pendingCrashes.set(address, this.now);
  }

  private whyNotCrashable(address: string, node: string | undefined): string | undefined {
    const nodes = node === undefined ? [...this.nodes.values()] : [this.node(node)];
    const definitions = nodes.flatMap((host) => host.system.lookup(address)?.definition ?? []);
    if (definitions.length === 0) return `no actor at ${address} on ${node === undefined ? 'any node' : `node ${node}`}`;
    if (!definitions.some((definition) => isCrashable(definition, this))) return `the actor at ${address} is not crashable (mark its definition with world.crashable(...))`;
    return undefined;
  }

  private notApplied(fault: string, target: string, reason: string): void {
    const error = new FaultNotAppliedError(fault, target, reason);
    this.unappliedFaults.push(error);
    this.trace.record('fault', error.message);
  }

  /** Puts scheduled faults on the event queue. */
  schedule(faults: readonly ScheduledFault[]): void {
    for (const fault of faults) {
      if (fault.at > this.options.calmAt) throw new ScenarioMisuseError(`seed ${this.seed}`, `fault '${fault.kind}' at ${fault.at} ms is after calm (${this.options.calmAt} ms)`);
      this.at(fault.at, () => this.inject(fault));
    }
  }

  private inject(fault: ScheduledFault): void {
    switch (fault.kind) {
      case 'partition':
        this.network.partition(fault.sides[0], fault.sides[1]);
        return this.links.partitioned();
      case 'heal': return this.network.heal();
      case 'crash-actor': return this.crashActor(fault.address, fault.node);
      case 'crash-node': return this.crashNode(fault.node, fault.restartAfterMs);
      case 'crash-broker': return this.crashBroker(fault.restartAfterMs);
    }
  }

  /**
   * Marks an actor (handler or xstate machine) as one the seed may crash: before a message
   * reaches it, the dice (or a scheduled `crash-actor`) may make it throw, as a bug or an OOM would.
   */
  crashable<D extends ActorDefinition>(definition: D): D {
    // The mark travels with the copies that bind a config (see `markCrashable`).
    return markCrashable(definition, this);
  }

  private shouldCrash(address: string): boolean {
    const crash = this.pendingCrashes.delete(address) || this.dice.actorCrash();
    if (crash) this.trace.record('fault', `crash-actor ${address}`);
    return crash;
  }

  // ---- running ------------------------------------------------------------------------------

  /**
   * Runs until calm, calms the world (no new faults, partitions healed), then until nothing is
   * left to do or the settle bound after the last heal passes.
   */
  async run(maxEvents = 5_000_000): Promise<RunOutcome> {
    await this.scheduler.run(this.options.calmAt, maxEvents, this.needsFullDrain);
    this.dice.calm = true;
    this.network.heal();
    this.trace.record('world', 'calm');
    this.outcome = await this.scheduler.run(this.healedAt + this.options.settleWithinMs, maxEvents, this.needsFullDrain);
    for (const [address, at] of this.pendingCrashes) this.notApplied('crash-actor', address, `it handled no message from ${at} ms, when the crash was due, to the end of the run at ${this.now} ms`);
    this.pendingCrashes.clear();
    this.trace.record('world', `end ${this.outcome}`);
    return this.outcome;
  }

  private readonly needsFullDrain = (): boolean => this.network.openStreams > 0;
}
