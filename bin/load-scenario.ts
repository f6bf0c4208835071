import { BadUsageError } from './errors.ts';
import { importUserModule } from './import-user-module.ts';
import { type Scenario } from '../sim/index.ts';

/** A scenario value, recognised by its shape (the module may import airlock by another path). */
export function isScenario(value: unknown): value is Scenario {
  const candidate = value as Partial<Scenario> | null;
  return typeof candidate?.name === 'string' && typeof candidate.setup === 'function' && typeof candidate.world === 'object' && candidate.world !== null;
}

/** Loads a user's scenario module and picks the export named `exportName`, else its default export. */
export async function loadScenario(file: string, cwd: string, exportName = 'default'): Promise<Scenario> {
  const module = await importUserModule(file, cwd);
  if (isScenario(module[exportName])) return module[exportName];
  const found = Object.keys(module).filter((key) => isScenario(module[key]));
  const hint = found.length === 0 ? 'it exports no scenario' : `its scenarios: ${found.join(', ')} (pick one with --export <name>)`;
  throw new BadUsageError(`${file} has no scenario as its ${exportName === 'default' ? 'default export' : `export '${exportName}'`}; ${hint}`);
}
