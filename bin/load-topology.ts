import { BadUsageError } from './errors.ts';
import { importUserModule } from './import-user-module.ts';
import type { Topology } from '../index.ts';

/** A topology value, recognised by its shape (the module may import airlock by another path). */
export function isTopology(value: unknown): value is Topology {
  const candidate = value as Partial<Topology> | null;
  return (
    typeof candidate?.name === 'string' &&
    Array.isArray(candidate.nodes) &&
    candidate.nodes.every((node) => typeof node?.name === 'string' && node.tree?.kind === 'supervisor')
  );
}

/**
 * Loads `file` and picks its topology: the export named `exportName`, else the default export,
 * else the one named export that is a topology.
 */
export async function loadTopology(file: string, cwd: string, exportName?: string): Promise<Topology> {
  const module = await importUserModule(file, cwd);
  if (exportName !== undefined) {
    if (!isTopology(module[exportName])) throw new BadUsageError(`${file} has no topology export '${exportName}'`);
    return module[exportName];
  }
  if (isTopology(module.default)) return module.default;
  const named = Object.keys(module).filter((key) => isTopology(module[key]));
  if (named.length === 1) return module[named[0]] as Topology;
  if (named.length === 0) throw new BadUsageError(`${file} exports no topology (defineTopology(...))`);
  throw new BadUsageError(`${file} exports several topologies (${named.join(', ')}); pick one with --export <name>`);
}
