import { InvalidSpecError, isId, type Restart, type Shutdown } from '../lib/index.ts';
import type { BackoffOptions } from '../lib/backoff.ts';
import type { ChildSpec } from './child-spec.ts';
import type { IntensityOptions } from './intensity.ts';
import type { Strategy } from './strategies.ts';

/**
 * Checks of specs when they are written (`child()`, `supervisor()`, `dynamicSupervisor()`,
 * `defineTopology()`, `startChild()`), so a bad value fails at once with `InvalidSpecError`
 * instead of misbehaving in the middle of a restart.
 */

const RESTARTS: readonly Restart[] = ['permanent', 'transient', 'temporary'];
const STRATEGIES: readonly Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];

/** A child id or node name: one address segment of at most 64 characters ('$' is kept for the system's own). */
export function checkId(what: string, id: unknown): string {
  if (typeof id !== 'string' || !isId(id)) {
    throw new InvalidSpecError(what, `id ${JSON.stringify(id)} is not one address segment of letters, digits, '_', '.', '~' or '-' (at most 64)`);
  }
  return id;
}

export function checkRestart(what: string, restart: unknown): Restart {
  if (!RESTARTS.includes(restart as Restart)) throw new InvalidSpecError(what, `restart ${JSON.stringify(restart)} is not one of ${RESTARTS.join(', ')}`);
  return restart as Restart;
}

export function checkShutdown(what: string, shutdown: unknown): Shutdown {
  if (shutdown === 'brutal' || shutdown === 'infinity' || isCount(shutdown)) return shutdown as Shutdown;
  throw new InvalidSpecError(what, `shutdown ${JSON.stringify(shutdown)} is not a whole number of ms >= 0, 'brutal' or 'infinity'`);
}

/** An actor definition (plain handler or xstate machine) or a nested supervisor spec. */
export function checkStart(what: string, start: unknown): ChildSpec['start'] {
  const kind = (start as { kind?: unknown } | null)?.kind;
  if (kind === 'supervisor' || kind === 'handler' || kind === 'machine') return start as ChildSpec['start'];
  throw new InvalidSpecError(what, 'start is neither an actor definition (defineActor, defineMachineActor) nor a supervisor spec');
}

export function checkStrategy(what: string, strategy: unknown): Strategy {
  if (!STRATEGIES.includes(strategy as Strategy)) throw new InvalidSpecError(what, `strategy ${JSON.stringify(strategy)} is not one of ${STRATEGIES.join(', ')}`);
  return strategy as Strategy;
}

export function checkIntensity(what: string, intensity: IntensityOptions): IntensityOptions {
  if (!isCount(intensity.maxRestarts)) throw new InvalidSpecError(what, `intensity.maxRestarts ${String(intensity.maxRestarts)} is not a whole number >= 0`);
  if (!isCount(intensity.withinMs) || intensity.withinMs === 0) throw new InvalidSpecError(what, `intensity.withinMs ${String(intensity.withinMs)} is not a whole number of ms > 0`);
  return intensity;
}

export function checkBackoff(what: string, backoff: BackoffOptions): BackoffOptions {
  const { minMs, maxMs, factor, jitter } = backoff;
  if (!isCount(minMs) || !isCount(maxMs) || maxMs < minMs) throw new InvalidSpecError(what, `backoff needs whole ms with 0 <= minMs <= maxMs (got ${String(minMs)}..${String(maxMs)})`);
  if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) throw new InvalidSpecError(what, `backoff.factor ${String(factor)} is not a number >= 1`);
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw new InvalidSpecError(what, `backoff.jitter ${String(jitter)} is not between 0 and 1`);
  return backoff;
}

/** A whole child spec, as `child()` builds it or as written by hand. */
export function checkChildSpec(spec: ChildSpec): ChildSpec {
  const what = `of child ${JSON.stringify(spec?.id)}`;
  checkId(what, spec?.id);
  checkStart(what, spec.start);
  checkRestart(what, spec.restart);
  checkShutdown(what, spec.shutdown);
  if (spec.standby !== undefined) checkStandby(what, spec.standby);
  return spec;
}

/** A standby child's lease: a name of 1 to 200 characters (it names a broker queue). */
export function checkStandby(what: string, standby: unknown): void {
  const lease = (standby as { lease?: unknown } | null)?.lease;
  if (typeof lease !== 'string' || lease.length === 0 || lease.length > 200) {
    throw new InvalidSpecError(what, `standby.lease ${JSON.stringify(lease)} is not a lease name of 1 to 200 characters`);
  }
}

/** Children of one supervisor: each valid, no id twice. */
export function checkChildren(what: string, children: unknown): readonly ChildSpec[] {
  if (!Array.isArray(children)) throw new InvalidSpecError(what, 'children is not an array of child specs');
  const ids = new Set<string>();
  for (const spec of children as ChildSpec[]) {
    checkChildSpec(spec);
    if (ids.has(spec.id)) throw new InvalidSpecError(what, `duplicate child id '${spec.id}'`);
    ids.add(spec.id);
  }
  return children as ChildSpec[];
}

/** A positive whole number, or undefined. */
export function checkLimit(what: string, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!isCount(value) || value === 0) throw new InvalidSpecError(what, `${field} ${String(value)} is not a whole number > 0`);
  return value as number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
