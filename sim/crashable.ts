/**
 * The mark `world.crashable(...)` puts on an actor definition. It is an enumerable property under
 * a symbol, so the copies that bind a config (`withConfig`, `child(id, actor, { config })`, both
 * spreads of the definition) carry it too: a crash scheduled on a configured child applies.
 * It holds the worlds (weakly) in which the actor may crash, so a definition shared across the
 * seeds of a sweep is crashable only where a scenario said so.
 */
const CRASHABLE_IN = Symbol('airlock.sim.crashable');

interface Marked {
  [CRASHABLE_IN]?: WeakSet<object>;
}

/** Marks `definition` (in place, or a marked copy when it is frozen) as crashable in `world`. */
export function markCrashable<D extends object>(definition: D, world: object): D {
  const existing = (definition as D & Marked)[CRASHABLE_IN];
  const worlds = existing ?? new WeakSet<object>();
  worlds.add(world);
  if (existing) return definition;
  if (!Object.isExtensible(definition)) return { ...definition, [CRASHABLE_IN]: worlds };
  Object.defineProperty(definition, CRASHABLE_IN, { value: worlds, enumerable: true });
  return definition;
}

export function isCrashable(definition: object, world: object): boolean {
  return (definition as Marked)[CRASHABLE_IN]?.has(world) ?? false;
}
