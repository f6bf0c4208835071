import {
  afterStart,
  childAddress,
  IntensityExceededError,
  InvalidSpecError,
  isAbnormal,
  SHUTDOWN,
  type ActorSystem,
  type Address,
  type Child,
  type ChildStatus,
  type ExitListener,
  type ExitReason,
  type RunState,
  type Shutdown,
  type Timer,
} from '../lib/index.ts';
import { backoffDelay } from '../lib/backoff.ts';
import { isSupervisorSpec, templateChild, type ChildSpec } from './child-spec.ts';
import { RestartIntensity } from './intensity.ts';
import { checkChildSpec, checkId } from './spec-validation.ts';
import { StandbyChild } from './standby-child.ts';
import { restartSet } from './strategies.ts';
import type { SupervisorSpec } from './supervisor-spec.ts';
import { ChildRunningError, DuplicateChildError, NotSupervisedError, TooManyChildrenError } from './errors.ts';

interface Entry {
  readonly spec: ChildSpec;
  readonly child: Child;
}

/** One child as `whichChildren()` lists it (OTP's which_children). */
export interface ChildInfo {
  readonly id: string;
  readonly address: Address;
  readonly kind: 'actor' | 'supervisor';
  readonly restart: ChildSpec['restart'];
  readonly running: boolean;
}

/** Counts of children, as OTP's count_children gives them. */
export interface ChildCounts {
  /** Children the supervisor holds, running or not. */
  readonly specs: number;
  /** Those running now. */
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

/**
 * One supervisor, after OTP's `supervisor` behaviour:
 * - children start in spec order and stop in reverse order;
 * - when a child exits on its own, its restart type says whether it comes back, and the
 *   strategy says which siblings come back with it (stopped in reverse order, restarted in order);
 * - more than `maxRestarts` restarts within `withinMs` and the supervisor stops all its children
 *   and fails, leaving the decision to its own parent;
 * - a restart may wait a backoff (with jitter) first; meanwhile the mailboxes keep their messages;
 * - children can be added (`startChild(spec)`) and removed (`deleteChild`) at runtime; they are
 *   dropped when the supervisor itself is restarted, as an OTP supervisor restarts from its specs;
 * - a dynamic supervisor (`spec.dynamic`) starts every child from one template, removes the ones
 *   that end for good, and stops them all concurrently on shutdown (OTP's simple_one_for_one).
 */
export class Supervisor implements Child, ExitListener {
  readonly kind = 'supervisor';
  private entries: Entry[];
  private state: RunState = 'stopped';
  private readonly intensity: RestartIntensity;
  /** Restarts run one after another, as in OTP where the supervisor is one process. */
  private restarts: Promise<void> = Promise.resolve();
  /** Restarts waiting out their backoff, per child; other children crash and restart meanwhile. */
  private readonly pendingRestarts = new Map<Child, Timer>();
  private started = 0;
  /** As an actor's: starts after it gave up or an operator's restart, not a start after a park (a stop meant to last). */
  private restartCount = 0;
  private parked = false;
  /** Children an operator stopped: they stay down, whatever their siblings do, until started again. */
  private readonly held = new Set<Child>();
  /** Children added at runtime: not part of the spec, so a restart of this supervisor drops them. */
  private readonly added = new Set<Entry>();

  constructor(
    private readonly system: ActorSystem,
    readonly spec: SupervisorSpec,
    readonly address: Address,
    private readonly parent: ExitListener | undefined,
  ) {
    this.intensity = new RestartIntensity(spec.intensity);
    this.entries = spec.children.map((childSpec) => ({ spec: childSpec, child: this.create(childSpec) }));
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** The child with this id, if it is still supervised here. */
  childById(id: string): Child | undefined {
    return this.entries.find((entry) => entry.spec.id === id)?.child;
  }

  /** Starts every child in order; if one cannot start, the ones started are stopped again. */
  start(): void {
    if (this.state === 'running') return;
    const restart = this.started > 0 && !this.parked;
    this.parked = false;
    this.intensity.reset();
    this.held.clear();
    for (const entry of this.added) this.remove(entry);
    const startedChildren: Child[] = [];
    try {
      for (const { child } of this.entries) {
        child.start();
        startedChildren.push(child);
      }
    } catch (error) {
      for (const child of startedChildren.reverse()) void child.shutdown('brutal');
      this.state = 'failed';
      throw error;
    }
    this.state = 'running';
    this.started++;
    if (restart) this.restartCount++;
    this.system.emit({ kind: 'started', address: this.address, at: this.system.clock.now() });
  }

  /**
   * Stops every child in reverse start order, each within its own shutdown; `'brutal'` kills
   * them all at once instead.
   */
  async shutdown(within: Shutdown): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.cancelPendingRestarts();
    await this.stopAll(within === 'brutal' ? 'brutal' : undefined);
    this.system.emit({ kind: 'stopped', address: this.address, at: this.system.clock.now(), reason: SHUTDOWN });
  }

  park(): void {
    this.parked = true;
    this.parkChildren();
  }

  private parkChildren(): void {
    for (const { child } of this.entries) child.park();
  }

  status(): ChildStatus {
    return {
      address: this.address,
      kind: 'supervisor',
      state: this.state,
      restarts: this.restartCount,
      strategy: this.spec.dynamic ? 'dynamic' : this.spec.strategy,
      children: this.entries.map(({ child }) => child.status()),
    };
  }

  /**
   * An operator's restart of one child: it is stopped and started again together with the
   * siblings the strategy names, exactly as after a crash, but without counting against the
   * restart intensity (nothing failed).
   */
  async restartChild(id: string): Promise<void> {
    const entry = this.entryById(id);
    this.held.delete(entry.child);
    // Unlike after a crash, the child is still running: stop it first, or start() would be a no-op.
    if (entry.child.running) await entry.child.shutdown(entry.spec.shutdown);
    await this.restart(entry);
  }

  /** An operator's stop of one child (OTP's terminate_child): it is not restarted until `startChild`. */
  async stopChild(id: string): Promise<void> {
    const { spec, child } = this.entryById(id);
    this.held.add(child);
    if (child.running) await child.shutdown(spec.shutdown);
    child.park();
  }

  /**
   * OTP's start_child. Given a spec (not on a dynamic supervisor), adds that child after the
   * others and starts it; an id already taken is refused with `DuplicateChildError`. Given an id,
   * starts again the child of that id an operator or its restart type left stopped (its siblings
   * are left alone; a running one is left as it is); on a dynamic supervisor an id it does not
   * have yet starts a new child from the template, bound to `options.config` (checked against
   * the template actor's schema). A child that cannot start is not kept.
   */
  startChild(spec: ChildSpec | string, options: { config?: unknown } = {}): Child {
    if (typeof spec !== 'string') {
      if (this.spec.dynamic) throw new InvalidSpecError(`of child '${spec.id}'`, `${this.address} is a dynamic supervisor: its children come from its template (startChild(id))`);
      return this.add(checkChildSpec(spec));
    }
    const entry = this.entries.find((candidate) => candidate.spec.id === spec);
    if (!entry && this.spec.dynamic) return this.add(templateChild(checkId(`of a child of ${this.address}`, spec), this.spec.dynamic.template, options.config));
    if (options.config !== undefined) throw new InvalidSpecError(`of child '${spec}'`, 'a config is given only to a new child of a dynamic supervisor');
    const { child } = entry ?? this.entryById(spec);
    this.held.delete(child);
    if (!child.running) child.start();
    return child;
  }

  /** OTP's delete_child: forgets a stopped child for good (its address is freed); a running one is refused. */
  deleteChild(id: string): void {
    const entry = this.entryById(id);
    if (entry.child.running) throw new ChildRunningError(entry.child.address);
    this.held.delete(entry.child);
    this.remove(entry);
  }

  /** OTP's which_children: every child held here, in start order. */
  whichChildren(): ChildInfo[] {
    return this.entries.map(({ spec, child }) => ({ id: spec.id, address: child.address, kind: child.kind, restart: spec.restart, running: child.running }));
  }

  /** OTP's count_children. */
  countChildren(): ChildCounts {
    const supervisors = this.entries.filter(({ child }) => child.kind === 'supervisor').length;
    return {
      specs: this.entries.length,
      active: this.entries.filter(({ child }) => child.running).length,
      supervisors,
      workers: this.entries.length - supervisors,
    };
  }

  private add(spec: ChildSpec): Child {
    const at = childAddress(this.address, spec.id);
    if (this.state !== 'running') throw new NotSupervisedError(at, `supervisor ${this.address} is not running`);
    if (this.entries.some((entry) => entry.spec.id === spec.id)) throw new DuplicateChildError(at);
    const max = this.spec.dynamic?.maxChildren;
    if (max !== undefined && this.entries.length >= max) throw new TooManyChildrenError(this.address, max);
    const entry: Entry = { spec, child: this.create(spec) };
    this.entries.push(entry);
    this.added.add(entry);
    try {
      entry.child.start();
    } catch (error) {
      this.remove(entry);
      throw error;
    }
    return entry.child;
  }

  private entryById(id: string): Entry {
    const entry = this.entries.find((candidate) => candidate.spec.id === id);
    if (!entry) throw new NotSupervisedError(childAddress(this.address, id), `supervisor ${this.address} has no such child`);
    return entry;
  }

  childExited(child: Child, reason: ExitReason): void {
    if (this.state !== 'running') return;
    const entry = this.entries.find((candidate) => candidate.child === child);
    if (!entry) return;
    const { restart } = entry.spec;
    if (restart === 'temporary' || (restart === 'transient' && !isAbnormal(reason))) {
      // A dynamic supervisor's children are one per peer or connection: one that is done is gone.
      if (restart === 'temporary' || this.spec.dynamic) this.remove(entry);
      else child.park();
      return;
    }
    if (!this.intensity.admit(this.system.clock.now())) {
      void this.fail(new IntensityExceededError(this.address, this.spec.intensity.maxRestarts, this.spec.intensity.withinMs));
      return;
    }
    const delay = backoffDelay(this.spec.backoff, this.intensity.recent, this.system.random);
    if (delay === 0) {
      void this.restart(entry);
      return;
    }
    this.pendingRestarts.get(child)?.cancel();
    this.pendingRestarts.set(
      child,
      this.system.clock.setTimer(delay, () => {
        this.pendingRestarts.delete(child);
        void this.restart(entry);
      }),
    );
  }

  /** Queues a restart behind any restart in progress. */
  private restart(failed: Entry): Promise<void> {
    this.restarts = this.restarts.then(() => this.applyStrategy(failed));
    return this.restarts;
  }

  /** Stops the siblings the strategy names (reverse order), then starts them all in order. */
  private async applyStrategy(failed: Entry): Promise<void> {
    const index = this.entries.indexOf(failed);
    // Already back: an earlier restart (one_for_all, rest_for_one) took it down and up again.
    if (index < 0 || failed.child.running) return;
    const chosen = restartSet(this.spec.strategy, index, this.entries.length).map((i) => this.entries[i]);
    await this.stopChildren(chosen.filter((entry) => entry !== failed));
    if (this.state !== 'running') return;
    for (const entry of chosen) {
      // A sibling an operator stopped stays stopped.
      if (entry !== failed && this.held.has(entry.child)) continue;
      // A temporary sibling taken down with the others is not brought back (OTP does the same).
      if (entry !== failed && entry.spec.restart === 'temporary') {
        this.remove(entry);
        continue;
      }
      if (!this.startAgain(entry)) return;
    }
  }

  /** Starts one child again; a failure to start counts as another exit of that child. */
  private startAgain(entry: Entry): boolean {
    try {
      entry.child.start();
    } catch (error) {
      this.childExited(entry.child, { kind: 'failure', error: error instanceof Error ? error : new Error(String(error)) });
      return false;
    }
    // Restarted means running again: an async setup must finish first (OTP: init returned).
    const { child } = entry;
    afterStart(child, () => this.system.emit({ kind: 'restarted', address: child.address, at: this.system.clock.now(), restarts: child.status().restarts }));
    return true;
  }

  /** Stops every child: in reverse start order, or, under a dynamic supervisor, all at once (as OTP does). */
  private async stopAll(override?: Shutdown): Promise<void> {
    if (!this.spec.dynamic) return this.stopChildren(this.entries, override);
    await Promise.all(this.entries.map(({ spec, child }) => (child.running ? child.shutdown(override ?? spec.shutdown) : undefined)));
  }

  private async stopChildren(entries: readonly Entry[], override?: Shutdown): Promise<void> {
    for (const { spec, child } of [...entries].reverse()) {
      if (child.running) await child.shutdown(override ?? spec.shutdown);
    }
  }

  /**
   * Gave up: stops every child and exits. The `failed` event keeps the error for humans; the exit
   * itself is OTP's `shutdown`, so a transient parent-supervised supervisor is not restarted.
   */
  private async fail(error: Error): Promise<void> {
    this.state = 'failed';
    this.cancelPendingRestarts();
    await this.stopAll();
    this.parkChildren();
    const at = this.system.clock.now();
    const reason: ExitReason = { kind: 'shutdown', error };
    this.system.emit({ kind: 'failed', address: this.address, at, error });
    this.system.emit({ kind: 'stopped', address: this.address, at, reason });
    this.parent?.childExited(this, reason);
  }

  private remove(entry: Entry): void {
    this.entries = this.entries.filter((candidate) => candidate !== entry);
    this.added.delete(entry);
    this.pendingRestarts.get(entry.child)?.cancel();
    this.pendingRestarts.delete(entry.child);
    disposeTree(entry.child);
  }

  private cancelPendingRestarts(): void {
    for (const timer of this.pendingRestarts.values()) timer.cancel();
    this.pendingRestarts.clear();
  }

  private create(spec: ChildSpec): Child {
    const at = childAddress(this.address, spec.id);
    const { start } = spec;
    const make = (listener: ExitListener): Child =>
      isSupervisorSpec(start) ? new Supervisor(this.system, start, at, listener) : this.system.createCell(start, at, listener);
    return spec.standby ? new StandbyChild(this.system, spec.standby.lease, spec.shutdown, this, make) : make(this);
  }

  /** Frees every address of this tree, for good. */
  dispose(): void {
    for (const { child } of this.entries) disposeTree(child);
  }
}

function disposeTree(child: Child): void {
  (child as Child & { dispose?: () => void }).dispose?.();
}
