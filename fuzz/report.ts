/**
 * What one decoder's fuzz run found, counted as it happens, and how it is printed: one JSON
 * object per decoder, and for a failing run the command that replays it.
 */
import { AirlockError, errorFromWire } from '../internal.ts';

export interface DecoderReport {
  decoder: string;
  seed: number;
  tried: number;
  /** Frames the decoder let through to an actor (or, for the admin socket, that were answered with a reply). */
  accepted: number;
  /** Frames refused with a typed error, by `code`. */
  refusedByCode: Record<string, number>;
  /** `failed` events of the system under test: actors (or supervisors) that crashed. */
  actorCrashes: number;
  /** Uncaught exceptions and unhandled rejections while the target ran. */
  processCrashes: number;
  /** Refusals that were not an `AirlockError` with a known code. */
  untypedErrors: number;
  heapMB: { before: number; after: number };
  /** Resident set growth over the run, after a full GC at both ends (attacker and target share the process). */
  rssGrowthMB: number;
  /**
   * Network targets: the most bytes the target took on one connection past its last complete
   * answer before it answered or cut (what it had to hold), measured from the attacker's side; 0 elsewhere.
   */
  largestBufferedBytes: number;
  /** Answers the project's own client cannot read (a finding: the peer was told something it cannot parse). */
  unreadableAnswers: number;
  /** The bounds this run is held to (fuzz/bounds.ts); no buffering bound for a row that takes no connections. */
  bounds: { rssGrowthMB: number; largestBufferedBytes: number | null };
  /** What crashed or went untyped, by message (the first few distinct ones), to start debugging from. */
  findings: Record<string, number>;
  /** Target-specific figures (e.g. the broker path's duplicates, the admin socket's unanswered frames). */
  extra: Record<string, number>;
  durationMs: number;
}

/** Distinct findings kept per report; the counts above stay exact. */
const MAX_FINDINGS = 12;

/** Counts one decoder's outcomes while the frames go through. */
export class Tally {
  tried = 0;
  accepted = 0;
  actorCrashes = 0;
  processCrashes = 0;
  untypedErrors = 0;
  unreadableAnswers = 0;
  readonly refusedByCode: Record<string, number> = {};
  readonly findings: Record<string, number> = {};
  readonly extra: Record<string, number> = {};

  /** A refusal: typed if it carries a code this project defines, untyped otherwise. */
  refuse(error: unknown): void {
    const code = error instanceof AirlockError ? error.code : undefined;
    if (code !== undefined && isKnownCode(code)) return this.refused(code);
    this.untyped(error);
  }

  refused(code: string): void {
    if (!isKnownCode(code)) return this.untyped(new Error(`refused with unknown code ${code}`));
    this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1;
  }

  /**
   * A refusal in a wire protocol's own terms (an AMQP condition, an HTTP status, a DNS RCODE):
   * typed by the protocol, so counted under `code` as it is.
   */
  refusedOnWire(code: string): void {
    this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1;
  }

  /** An answer its own client cannot read (e.g. an id echoed past 2^53): a finding, never a refusal. */
  unreadable(why: string): void {
    this.unreadableAnswers++;
    this.finding('unreadable answer', why);
  }

  untyped(error: unknown): void {
    this.untypedErrors++;
    this.finding('untyped', error);
  }

  actorCrash(address: string, error: unknown): void {
    this.actorCrashes++;
    this.finding(`crash ${address}`, error);
  }

  processCrash(error: unknown): void {
    this.processCrashes++;
    this.finding('process', error);
  }

  count(figure: string, by = 1): void {
    this.extra[figure] = (this.extra[figure] ?? 0) + by;
  }

  private finding(kind: string, error: unknown): void {
    const text = `${kind}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 160);
    if (text in this.findings || Object.keys(this.findings).length < MAX_FINDINGS) this.findings[text] = (this.findings[text] ?? 0) + 1;
  }
}

/** True for the codes of `lib/errors.ts`: `errorFromWire` rebuilds exactly those as their own subclass. */
function isKnownCode(code: string): boolean {
  return errorFromWire({ code, message: '' }).constructor !== AirlockError;
}

/** The command that replays a run, as a failing spec prints it. */
export function replayCommand(seed: number, frames: number, decoder?: string): string {
  return `npm run fuzz -- --seed ${seed} --frames ${frames}${decoder ? ` --target ${decoder}` : ''}`;
}

/**
 * What broke the goal (no actor crash, no process crash, no untyped error, no unreadable answer,
 * memory and buffering within the row's bounds); empty when it holds.
 */
export function violations(report: DecoderReport): string[] {
  const broken: string[] = [];
  if (report.actorCrashes > 0) broken.push(`${report.actorCrashes} actor crashes`);
  if (report.processCrashes > 0) broken.push(`${report.processCrashes} process crashes`);
  if (report.untypedErrors > 0) broken.push(`${report.untypedErrors} untyped errors`);
  if (report.unreadableAnswers > 0) broken.push(`${report.unreadableAnswers} unreadable answers`);
  if (report.rssGrowthMB > report.bounds.rssGrowthMB) broken.push(`RSS grew ${report.rssGrowthMB} MB (bound ${report.bounds.rssGrowthMB} MB)`);
  if (report.bounds.largestBufferedBytes !== null && report.largestBufferedBytes > report.bounds.largestBufferedBytes) {
    broken.push(`${report.largestBufferedBytes} bytes held on one connection (bound ${report.bounds.largestBufferedBytes})`);
  }
  return broken;
}

/** Per violated decoder: what broke, its findings, and the command that replays it; empty when all hold. */
export function describeFailures(reports: readonly DecoderReport[]): string {
  return reports
    .filter((report) => violations(report).length > 0)
    .flatMap((report) => [
      `${report.decoder}: ${violations(report).join(', ')} in ${report.tried} frames`,
      ...Object.entries(report.findings).map(([finding, count]) => `  ${count}× ${finding}`),
      `  replay: ${replayCommand(report.seed, report.tried, report.decoder)}`,
    ])
    .join('\n');
}

export function heapMB(): number {
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
}

export function rssMB(): number {
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}
