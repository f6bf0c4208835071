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

/** What broke the goal (0 actor crashes, 0 process crashes, 0 untyped errors); empty when it holds. */
export function violations(report: DecoderReport): string[] {
  const broken: string[] = [];
  if (report.actorCrashes > 0) broken.push(`${report.actorCrashes} actor crashes`);
  if (report.processCrashes > 0) broken.push(`${report.processCrashes} process crashes`);
  if (report.untypedErrors > 0) broken.push(`${report.untypedErrors} untyped errors`);
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
