import type { ActorDefinition, AnyProtocol, Restart, Shutdown } from '../lib/index.ts';
import { checkChildSpec } from './spec-validation.ts';
import type { SupervisorSpec } from './supervisor-spec.ts';


export interface ChildSpec {
  /** Unique among its siblings; the child lives at `<supervisor address>/<id>`. */
  readonly id: string;
  /** An actor definition, or a supervisor spec for a nested tree. */
  readonly start: ActorDefinition<AnyProtocol> | SupervisorSpec;
  readonly restart: Restart;
  /** How long a stop may take before the child is killed: 5 s for actors, `infinity` for supervisors. */
  readonly shutdown: Shutdown;
}

export interface ChildOptions {
  restart?: Restart;
  shutdown?: Shutdown;
}

export function isSupervisorSpec(start: ChildSpec['start']): start is SupervisorSpec {
  return start.kind === 'supervisor';
}

/** What a child spec needs besides its id: a dynamic supervisor's template. */
export type ChildTemplate = Omit<ChildSpec, 'id'>;

/**
 * A child spec with OTP's defaults: permanent, and the shutdown that suits its kind.
 * Throws `InvalidSpecError` for an id that is not one address segment, an unknown restart
 * type, a bad shutdown or a `start` that is neither an actor nor a supervisor spec.
 */
export function child<P extends AnyProtocol>(
  id: string,
  start: ActorDefinition<P> | SupervisorSpec,
  options: ChildOptions = {},
): ChildSpec {
  const nested = (start as { kind?: unknown } | null)?.kind === 'supervisor';
  return checkChildSpec({
    id,
    start: start as ChildSpec['start'],
    restart: options.restart ?? 'permanent',
    shutdown: options.shutdown ?? (nested ? 'infinity' : 5_000),
  });
}
