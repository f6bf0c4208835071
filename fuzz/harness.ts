/**
 * Runs one target: seeded frames through its decoder, with uncaught exceptions and unhandled
 * rejections counted (not fatal), and the heap and RSS measured after a full GC before and after.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_RSS_GROWTH_MB } from './bounds.ts';
import type { BufferMeter } from './buffer-meter.ts';
import type { Frame } from './frames.ts';
import { quietConsole } from './quiet-console.ts';
import { heapMB, rssMB, Tally, type DecoderReport } from './report.ts';

/** One decoder under fuzz, opened on a fresh system; it classifies each frame's outcome into the tally. */
export interface FuzzTarget {
  /** The frames to send, drawn from the seed alone. */
  frames(seed: number, count: number): Iterable<Frame>;
  /** Network targets: what the attacker measured the target holding, and the most it may hold. */
  readonly buffered?: { meter: BufferMeter; bound: number };
  send(frame: Frame): Promise<void>;
  /** Waits until everything the frames set off has happened (handlers, dead letters, replies). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface TargetFactory {
  readonly decoder: string;
  open(tally: Tally, seed: number): Promise<FuzzTarget>;
}

export interface FuzzOptions {
  seed: number;
  frames: number;
}

export async function fuzzTarget(factory: TargetFactory, { seed, frames }: FuzzOptions): Promise<DecoderReport> {
  const tally = new Tally();
  const crashed = (error: unknown) => tally.processCrash(error);
  collectGarbage();
  const before = heapMB();
  let rssBefore = 0;
  let buffered: FuzzTarget['buffered'];
  const started = performance.now();
  // Listening turns what would kill the process into a count, so one run reports them all.
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);
  const restoreConsole = quietConsole(() => tally.count('consoleLines'));
  try {
    const target = await factory.open(tally, seed);
    buffered = target.buffered;
    // From the opened target on: what the run adds, not what starting a system and its listeners costs.
    collectGarbage();
    rssBefore = rssMB();
    try {
      for (const frame of target.frames(seed, frames)) {
        tally.tried++;
        await target.send(frame);
      }
      await target.settle();
    } finally {
      await target.close();
    }
    // Late rejections of the run surface on the next turns; they are still this target's.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    restoreConsole();
    process.off('uncaughtException', crashed);
    process.off('unhandledRejection', crashed);
  }
  const durationMs = Math.round(performance.now() - started);
  collectGarbage();
  return {
    decoder: factory.decoder,
    seed,
    tried: tally.tried,
    accepted: tally.accepted,
    refusedByCode: sortedByKey(tally.refusedByCode),
    actorCrashes: tally.actorCrashes,
    processCrashes: tally.processCrashes,
    untypedErrors: tally.untypedErrors,
    heapMB: { before, after: heapMB() },
    rssGrowthMB: Math.round((rssMB() - rssBefore) * 10) / 10,
    largestBufferedBytes: buffered?.meter.largest ?? 0,
    unreadableAnswers: tally.unreadableAnswers,
    bounds: { rssGrowthMB: MAX_RSS_GROWTH_MB, largestBufferedBytes: buffered?.bound ?? null },
    findings: tally.findings,
    extra: tally.extra,
    durationMs,
  };
}

/**
 * A full GC, whether or not node runs with --expose-gc: the flag can be set at run time and
 * the `gc` function taken from a fresh context (tsx and mocha need no extra node options).
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc ?? exposedGc();
  gc();
  gc();
}

let exposed: (() => void) | undefined;
function exposedGc(): () => void {
  if (!exposed) {
    setFlagsFromString('--expose-gc');
    exposed = runInNewContext('gc') as () => void;
  }
  return exposed;
}

function sortedByKey(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
