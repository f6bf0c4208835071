import { InvalidSpecError, withConfig, type ActorDefinition, type AnyProtocol, type Restart, type Shutdown } from '../lib/index.ts';
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
  /** Runs only while this node holds the lease (see `StandbyChild`). */
  readonly standby?: StandbyOptions;
}

/** A child that starts only while its node holds the lease `lease` (OTP's takeover/failover). */
export interface StandbyOptions {
  /** The lease's name: every node whose child names it contends; the broker picks one holder. */
  readonly lease: string;
}

export interface ChildOptions<C = unknown> {
  restart?: Restart;
  shutdown?: Shutdown;
  /** The actor's configuration (`ctx.config`), checked now against its definition's `config` schema. */
  config?: C;
  /** Start only while this node holds the lease: `{ lease: 'a-bridge-manager' }` (RabbitMQ transport). */
  standby?: StandbyOptions;
}

/**
 * What a 2-argument `child(id, actor)` demands of an actor whose configuration must be given: a
 * property that only names the mistake, so the compiler's error says `config` instead of
 * `Expected 3 arguments, but got 2`.
 */
type NeedsNoConfig<C> = undefined extends C ? unknown : { readonly 'this actor needs a config: child(id, actor, { config })': C };

export function isSupervisorSpec(start: ChildSpec['start']): start is SupervisorSpec {
  return start.kind === 'supervisor';
}

/** What a child spec needs besides its id: a dynamic supervisor's template. */
export type ChildTemplate = Omit<ChildSpec, 'id'>;

/**
 * A child spec with OTP's defaults: permanent, and the shutdown that suits its kind.
 * Throws `InvalidSpecError` for an id that is not one address segment, an unknown restart
 * type, a bad shutdown, a `start` that is neither an actor nor a supervisor spec, or a config
 * its actor's schema refuses.
 */
export function child<P extends AnyProtocol, C = undefined, I = C>(
  id: string,
  start: (ActorDefinition<P, C, I> & NeedsNoConfig<NoInfer<I>>) | SupervisorSpec,
  options?: ChildOptions<NoInfer<I>>,
): ChildSpec;
/** An actor whose configuration must be given: `options.config` is required. */
export function child<P extends AnyProtocol, C = undefined, I = C>(
  id: string,
  start: ActorDefinition<P, C, I>,
  options: ChildOptions<NoInfer<I>> & { config: NoInfer<I> },
): ChildSpec;
export function child(id: string, start: ActorDefinition<AnyProtocol, unknown, unknown> | SupervisorSpec, given?: ChildOptions): ChildSpec {
  const options: ChildOptions = given ?? {};
  const nested = (start as { kind?: unknown } | null)?.kind === 'supervisor';
  return checkChildSpec({
    id,
    start: configured(id, start as ChildSpec['start'], options.config),
    restart: options.restart ?? 'permanent',
    shutdown: options.shutdown ?? (nested ? 'infinity' : 5_000),
    ...(options.standby ? { standby: options.standby } : {}),
  });
}

/**
 * The spec of a dynamic supervisor's child `id`: its template, with the actor bound to `config`
 * (checked now against the actor's schema: `InvalidSpecError` when it does not fit).
 */
export function templateChild(id: string, template: ChildTemplate, config?: unknown): ChildSpec {
  return checkChildSpec({ id, ...template, start: configured(id, template.start, config) });
}

/** An actor definition bound to its validated config; a supervisor spec takes none. */
function configured(id: string, start: ChildSpec['start'], config: unknown): ChildSpec['start'] {
  const what = `of child ${JSON.stringify(id)}`;
  const kind = (start as { kind?: unknown } | null)?.kind;
  if (kind === 'supervisor' && config !== undefined) throw new InvalidSpecError(what, 'a supervisor takes no config');
  if (kind !== 'handler' && kind !== 'machine') return start;
  const actor = start as ActorDefinition;
  return actor.config || config !== undefined ? withConfig(actor, config, what) : actor;
}
