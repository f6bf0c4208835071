import type { Address } from './address.ts';
import type { ActorCell } from './cell.ts';
import type { CellHost } from './cell-host.ts';
import { afterStart, type Child, type ChildStatus, type ExitListener, type Restart, type Shutdown } from './child.ts';
import { IntensityExceededError } from './errors.ts';
import { isAbnormal, type ExitReason } from './events.ts';
import { RestartIntensity, type IntensityOptions } from './restart-intensity.ts';

/** How the spawning actor supervises a child it spawned; without `restart` the child is not restarted. */
export interface SpawnOptions {
  /** OTP's restart type: the spawning actor restarts the child one_for_one as it says. */
  restart?: Restart;
  /** How long the child may take to stop when the spawning incarnation ends (default: killed at once). */
  shutdown?: Shutdown;
}

/** What a supervising actor allows before it gives up: the supervisors' default, 3 restarts in 5 s. */
const SPAWN_INTENSITY: IntensityOptions = { maxRestarts: 3, withinMs: 5_000 };

interface Spawned {
  readonly cell: ActorCell;
  readonly options: SpawnOptions;
}

/**
 * The children one actor incarnation spawned. Those spawned with a restart type are supervised
 * one_for_one, like a supervisor's, and their restarts count against an intensity of 3 in 5 s;
 * past it the spawning actor itself crashes with `IntensityExceededError`, and its own supervisor
 * decides. A child that ends for good is removed; all stop when the incarnation ends.
 */
export class SpawnedChildren implements ExitListener {
  private readonly children = new Map<string, Spawned>();
  private readonly intensity = new RestartIntensity(SPAWN_INTENSITY);

  constructor(
    private readonly host: CellHost,
    private readonly owner: Address,
    /** Crashes the spawning actor. */
    private readonly fail: (error: Error) => void,
  ) {}

  get size(): number {
    return this.children.size;
  }

  add(id: string, cell: ActorCell, options: SpawnOptions): void {
    this.children.set(id, { cell, options });
  }

  statuses(): ChildStatus[] {
    return [...this.children.values()].map(({ cell }) => cell.status());
  }

  childExited(child: Child, reason: ExitReason): void {
    const entry = [...this.children.entries()].find(([, spawned]) => spawned.cell === child);
    if (!entry) return;
    const [id, { cell, options }] = entry;
    const restart = options.restart ?? 'temporary';
    if (restart === 'temporary' || (restart === 'transient' && !isAbnormal(reason))) return this.remove(id, cell);
    if (!this.intensity.admit(this.host.clock.now())) {
      return this.fail(new IntensityExceededError(this.owner, SPAWN_INTENSITY.maxRestarts, SPAWN_INTENSITY.withinMs));
    }
    try {
      cell.start();
    } catch (error) {
      return this.childExited(cell, { kind: 'failure', error: error instanceof Error ? error : new Error(String(error)) });
    }
    afterStart(cell, () => this.host.emit({ kind: 'restarted', address: cell.address, at: this.host.clock.now(), restarts: cell.status().restarts }));
  }

  /**
   * Stops every child: gracefully, each within its shutdown and all at once; otherwise (or for a
   * child spawned without a shutdown) killed at once. Their addresses are freed.
   */
  stopAll(graceful: boolean): Promise<void> {
    const children = [...this.children.values()];
    this.children.clear();
    this.intensity.reset();
    const stopping = children.filter(({ options }) => graceful && options.shutdown !== undefined);
    for (const { cell } of children) if (!stopping.some((entry) => entry.cell === cell)) cell.dispose();
    if (stopping.length === 0) return Promise.resolve();
    return Promise.all(stopping.map(({ cell, options }) => cell.shutdown(options.shutdown!))).then(() => {
      for (const { cell } of stopping) cell.dispose();
    });
  }

  private remove(id: string, cell: ActorCell): void {
    this.children.delete(id);
    cell.dispose();
  }
}
