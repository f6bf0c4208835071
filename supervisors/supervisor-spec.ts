import type { ChildSpec } from './child-spec.ts';
import type { BackoffOptions } from './backoff.ts';
import type { IntensityOptions } from './intensity.ts';
import type { Strategy } from './strategies.ts';

/** A supervision tree node, as a value: how it restarts, how often it may, and its children in start order. */
export interface SupervisorSpec {
  readonly kind: 'supervisor';
  readonly strategy: Strategy;
  readonly intensity: IntensityOptions;
  readonly backoff: BackoffOptions;
  readonly children: readonly ChildSpec[];
}

export interface SupervisorOptions {
  strategy?: Strategy;
  intensity?: Partial<IntensityOptions>;
  backoff?: Partial<BackoffOptions>;
  children: readonly ChildSpec[];
}

/** OTP's default intensity (1 restart in 5 s) is strict; airlock allows 3 in 5 s unless told otherwise. */
export const DEFAULT_INTENSITY: IntensityOptions = { maxRestarts: 3, withinMs: 5_000 };
/** No backoff by default: OTP restarts at once. */
export const NO_BACKOFF: BackoffOptions = { minMs: 0, maxMs: 0, factor: 2, jitter: 0 };

export function supervisor(options: SupervisorOptions): SupervisorSpec {
  const ids = new Set<string>();
  for (const { id } of options.children) {
    if (ids.has(id)) throw new Error(`duplicate child id '${id}' in supervisor spec`);
    ids.add(id);
  }
  return {
    kind: 'supervisor',
    strategy: options.strategy ?? 'one_for_one',
    intensity: { ...DEFAULT_INTENSITY, ...options.intensity },
    backoff: { ...NO_BACKOFF, ...options.backoff },
    children: options.children,
  };
}
