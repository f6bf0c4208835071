import type { z } from 'zod';
import { InvalidSpecError } from './errors.ts';

/** A zod schema: the child spec gives its input `I`, the actor gets its output `C` (`ctx.config`). */
export type ConfigSchema<C, I = C> = z.ZodType<C, I>;

/** Where a definition keeps the configuration it was bound to; a symbol keeps it off the public shape. */
const BOUND = Symbol('airlock.config');

/** What these functions need of a definition. */
interface Configurable {
  readonly config?: ConfigSchema<unknown, unknown>;
}

interface Bound {
  readonly [BOUND]?: { readonly value: unknown };
}

/**
 * The definition bound to one configuration, validated now against its `config` schema (as
 * Akka's Props or xstate's input): what `child(id, actor, { config })` starts, and what
 * `ctx.spawn` or `system.spawn` accept. Throws `InvalidSpecError` when the config does not fit.
 */
export function withConfig<D extends Configurable>(definition: D, config: unknown, what = 'of an actor'): D {
  // Bound already and given none (`child(id, withConfig(actor, config))`): the binding stands.
  if (config === undefined && (definition as Bound)[BOUND]) return definition;
  return { ...definition, [BOUND]: { value: parseConfig(definition, config, what) } };
}

/** The configuration one actor gets: the one its definition was bound to, else what its schema makes of none. */
export function configOf(definition: Configurable, what: string): unknown {
  const bound = (definition as Bound)[BOUND];
  return bound ? bound.value : parseConfig(definition, undefined, what);
}

function parseConfig(definition: Configurable, config: unknown, what: string): unknown {
  if (!definition.config) {
    if (config === undefined) return undefined;
    throw new InvalidSpecError(what, 'config given to an actor whose definition declares no config schema');
  }
  const result = definition.config.safeParse(config);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
  throw new InvalidSpecError(what, `config does not match the actor's schema: ${issues.join('; ')}`);
}
