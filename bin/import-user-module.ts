import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BadUsageError } from './errors.ts';
import { errorMessage } from '../index.ts';

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

/**
 * True when this module itself runs from TypeScript source (the repository, under tsx): a loader
 * that handles `.ts` is active already. The compiled package has none of its own.
 */
const LOADER_ACTIVE = import.meta.url.endsWith('.ts');

let tsxRegistered = false;

/**
 * Imports a user's module (a topology, a scenario) given on the command line. A TypeScript file
 * loads through the user's own tsx (`tsx/esm`), found from `cwd` and registered for the whole process, so the
 * module and airlock share one copy of every module (and of its error classes). Without one in the
 * project, a loader the user started node with (`node --import tsx`) still serves.
 */
export async function importUserModule(file: string, cwd: string): Promise<Record<string, unknown>> {
  const typescript = TYPESCRIPT_FILE.test(file);
  try {
    if (typescript) await registerProjectTsx(cwd);
    return (await import(pathToFileURL(resolve(cwd, file)).href)) as Record<string, unknown>;
  } catch (error) {
    if (typescript && (error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new BadUsageError(`cannot load ${file}: a TypeScript file needs tsx in your project (npm install --save-dev tsx), or write it as JavaScript (.mjs)`);
    }
    throw new BadUsageError(`cannot load ${file}: ${errorMessage(error)}`);
  }
}

/** Registers tsx from the user's project, once, unless a loader is active already or the project has none. */
async function registerProjectTsx(cwd: string): Promise<void> {
  if (LOADER_ACTIVE || tsxRegistered) return;
  let loader: string;
  try {
    loader = createRequire(join(cwd, 'package.json')).resolve('tsx/esm');
  } catch {
    return;
  }
  // What `node --import tsx/esm` runs: importing it registers tsx's ESM hooks.
  await import(pathToFileURL(loader).href);
  tsxRegistered = true;
}
