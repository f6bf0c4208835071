import type { ActorStats, LastExit } from './actor-stats.ts';
import type { Envelope } from './envelope.ts';
import type { ExitReason } from './events.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import type { ReplySink } from './late-reply.ts';
import type { Clock } from './ports/clock.ts';
import type { MailboxOptions } from './ports/transport.ts';

/** What the cell itself knows of its actor, for `ActorFigures.stats`. */
export interface CellFigures {
  address: ActorStats['address'];
  state: ActorStats['state'];
  incarnation: number;
  restarts: number;
  depth: number;
  mailbox: MailboxOptions;
  handled: number;
  failed: number;
  behaviour: ActorStats['behaviour'];
  machineState: unknown;
}

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

  /** Made with the first late answer (`lateReplies`). */
  private replySink: ReplySink | undefined;

  /** The actor's live figures: what the cell knows (`cell`) and what these count. */
  stats(cell: CellFigures): ActorStats {
    const { depth, mailbox, machineState } = cell;
    return {
      address: cell.address,
      state: cell.state,
      incarnation: cell.incarnation,
      restarts: cell.restarts,
      ...(this.lastExit ? { lastExit: { ...this.lastExit } } : {}),
      mailbox: { depth, capacity: mailbox.capacity, overflow: mailbox.overflow },
      received: this.taken + depth,
      handled: cell.handled,
      failed: cell.failed,
      crashes: this.crashes,
      refused: this.refused,
      deadLettered: this.deadLettered,
      asks: this.asks ?? LatencyHistogram.EMPTY,
      behaviour: cell.behaviour,
      ...(machineState !== undefined ? { machineState } : {}),
    };
  }

  /** Where a late answer goes (`ctx.replyLater`): to `host`, the asker's way, its latency recorded on the way. */
  lateReplies(host: ReplySink & { readonly clock: Clock }): ReplySink {
    return (this.replySink ??= {
      reply: (request, value) => {
        this.answered(request, host.clock);
        host.reply(request, value);
      },
      replyError: (request, error) => {
        this.answered(request, host.clock);
        host.replyError(request, error);
      },
    });
  }

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
