import type { LastExit } from './actor-stats.ts';
import type { Envelope } from './envelope.ts';
import type { ExitReason } from './events.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import type { Clock } from './ports/clock.ts';

/**
 * The figures one actor address keeps for its live stats beyond handled/failed: messages taken,
 * dead letters, refusals, crashes, the last exit and ask latency. One increment per message on
 * the hot path; an ask costs two clock readings. Outlives incarnations, as the mailbox does.
 */
export class ActorFigures {
  taken = 0;
  deadLettered = 0;
  refused = 0;
  crashes = 0;
  lastExit: LastExit | undefined;
  /** Made with the first answered ask: most actors are only told. */
  asks: LatencyHistogram | undefined;
  /** The ask in its handler and when it was taken: fields, not a map, on the common path. */
  private askInHand: Envelope | undefined;
  private askInHandSince = 0;
  /** Asks answered later (`replyLater`), by envelope: made with the first one, forgotten with the envelope. */
  private deferredAsks: WeakMap<Envelope, number> | undefined;

  /** An ask was taken into its handler at `now`. */
  askTaken(request: Envelope, now: number): void {
    this.askInHand = request;
    this.askInHandSince = now;
  }

  /** The ask in hand will be answered after its handler returned (`replyLater`): its start is kept by envelope. */
  answersLater(request: Envelope): void {
    if (request !== this.askInHand) return;
    (this.deferredAsks ??= new WeakMap()).set(request, this.askInHandSince);
    this.askInHand = undefined;
  }

  /** An ask this actor took is being answered now, on `clock` (by its handler, `ctx.reply`, or later). */
  answered(request: Envelope, clock: Clock): void {
    let takenAt: number | undefined;
    if (request === this.askInHand) {
      takenAt = this.askInHandSince;
      this.askInHand = undefined;
    } else {
      takenAt = this.deferredAsks?.get(request);
      if (takenAt === undefined) return;
      this.deferredAsks!.delete(request);
    }
    (this.asks ??= new LatencyHistogram()).record(clock.now() - takenAt);
  }

  /** An incarnation ended, for `reason`, at `at`. */
  exited(reason: ExitReason, at: number): void {
    if (reason.kind === 'failure') this.crashes++;
    const error = 'error' in reason ? reason.error : undefined;
    const code = (error as { code?: unknown } | undefined)?.code;
    this.lastExit = { kind: reason.kind, at, ...(typeof code === 'string' ? { code } : {}), ...(error ? { message: error.message } : {}) };
  }
}
