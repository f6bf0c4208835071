import type { ActorRef } from './actor-ref.ts';
import type { Timers } from './context.ts';
import type { Clock, Timer } from './ports/clock.ts';
import type { AnyProtocol } from './protocol.ts';

/**
 * One incarnation's timers (`ctx.timers`), by key: each sends a message to the actor itself on
 * the Clock port. All are cancelled when the incarnation ends, and a timer started after that
 * (from a late callback) is never set, so nothing an incarnation started reaches the next one.
 */
export class IncarnationTimers implements Timers<AnyProtocol> {
  private readonly table = new Map<string, Timer>();
  private cancelled = false;

  constructor(
    private readonly clock: Clock,
    private readonly self: ActorRef<AnyProtocol>,
  ) {}

  // Arrow properties, as before: an actor may pass `ctx.timers.cancel` around unbound.
  readonly startSingle = (key: string, delayMs: number, type: string, body: unknown): void => this.start(key, delayMs, type, body, false);
  readonly startPeriodic = (key: string, intervalMs: number, type: string, body: unknown): void => this.start(key, intervalMs, type, body, true);
  readonly isActive = (key: string): boolean => this.table.has(key);
  readonly cancel = (key: string): void => {
    this.table.get(key)?.cancel();
    this.table.delete(key);
  };

  /** The incarnation ended: every timer is cancelled, and none starts again. */
  cancelAll(): void {
    this.cancelled = true;
    for (const timer of this.table.values()) timer.cancel();
    this.table.clear();
  }

  private start(key: string, delayMs: number, type: string, body: unknown, periodic: boolean): void {
    this.cancel(key);
    if (this.cancelled) return;
    const fire = (): void => {
      if (periodic) this.table.set(key, this.clock.setTimer(delayMs, fire));
      else this.table.delete(key);
      // A full mailbox refuses it like any tell; the actor learns nothing it could act on.
      void this.self.tell(type, body).catch(() => {});
    };
    this.table.set(key, this.clock.setTimer(delayMs, fire));
  }
}
