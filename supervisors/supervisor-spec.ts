import type { ChildOptions, ChildSpec, ChildTemplate } from './child-spec.ts';
import type { BackoffOptions } from '../lib/backoff.ts';
import type { IntensityOptions } from './intensity.ts';
import { checkBackoff, checkChildren, checkChildSpec, checkIntensity, checkLimit, checkStrategy } from './spec-validation.ts';
import type { Strategy } from './strategies.ts';
import type { ActorDefinition, AnyProtocol } from '../lib/index.ts';

/** A supervision tree node, as a value: how it restarts, how often it may, and its children in start order. */
export interface SupervisorSpec {
  readonly kind: 'supervisor';
  readonly strategy: Strategy;
  readonly intensity: IntensityOptions;
  readonly backoff: BackoffOptions;
  readonly children: readonly ChildSpec[];
  /** Set for a dynamic supervisor (OTP's simple_one_for_one): every child comes from this template. */
  readonly dynamic?: DynamicChildren;
}

export interface DynamicChildren {
  readonly template: ChildTemplate;
  /** More children than this and `startChild` refuses with `TooManyChildrenError`. */
  readonly maxChildren?: number;
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

/** A supervisor spec; throws `InvalidSpecError` for duplicate ids, bad intensity, backoff or strategy. */
export function supervisor(options: SupervisorOptions): SupervisorSpec {
  const what = 'of supervisor';
  return {
    kind: 'supervisor',
    strategy: checkStrategy(what, options.strategy ?? 'one_for_one'),
    intensity: checkIntensity(what, { ...DEFAULT_INTENSITY, ...options.intensity }),
    backoff: checkBackoff(what, { ...NO_BACKOFF, ...options.backoff }),
    children: checkChildren(what, options.children),
  };
}

export interface DynamicSupervisorOptions<P extends AnyProtocol> {
  /** What every child runs (an actor or a nested supervisor), with its restart type and shutdown. */
  child: ActorDefinition<P> | SupervisorSpec;
  restart?: ChildOptions['restart'];
  shutdown?: ChildOptions['shutdown'];
  intensity?: Partial<IntensityOptions>;
  backoff?: Partial<BackoffOptions>;
  maxChildren?: number;
}

/**
 * A dynamic supervisor (OTP's simple_one_for_one): no children at first; `startChild(id)` starts
 * one from the template at `<address>/<id>`. Children restart one_for_one and count against the
 * intensity; one that ends for good is removed; on shutdown they are all stopped concurrently.
 */
export function dynamicSupervisor<P extends AnyProtocol>(options: DynamicSupervisorOptions<P>): SupervisorSpec {
  const what = 'of dynamic supervisor';
  // Checked as any child spec, but not bound to a config: each child gets its own (startChild(id, { config })).
  const nested = (options.child as { kind?: unknown } | null)?.kind === 'supervisor';
  const { id: _id, ...template } = checkChildSpec({
    id: 'template',
    start: options.child as ChildSpec['start'],
    restart: options.restart ?? 'permanent',
    shutdown: options.shutdown ?? (nested ? 'infinity' : 5_000),
  });
  return {
    ...supervisor({ intensity: options.intensity, backoff: options.backoff, children: [] }),
    dynamic: { template, maxChildren: checkLimit(what, 'maxChildren', options.maxChildren) },
  };
}
