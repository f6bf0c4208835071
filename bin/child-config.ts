import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../lib/errors.ts';
import { BadUsageError } from './errors.ts';

/** `--config <json>` or `--config-file <path>` of `airlock start`, as the command line gave them. */
export interface ChildConfigArgs {
  config?: string;
  configFile?: string;
}

/**
 * A new dynamic child's config as JSON text: `--config` itself, or the file `--config-file` names
 * (relative to `cwd`). The text goes to the node as it is (the control key's MAC covers those
 * bytes) and the template's schema checks it there; text that is not JSON at all is a usage error
 * here, before any connection. Undefined when neither option was given.
 */
export async function childConfigText(args: ChildConfigArgs, cwd: string): Promise<string | undefined> {
  if (args.config !== undefined && args.configFile !== undefined) throw new BadUsageError('give --config or --config-file, not both');
  const option = args.config !== undefined ? '--config' : '--config-file';
  const text = args.configFile === undefined ? args.config : await readConfigFile(resolve(cwd, args.configFile));
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
  } catch (error) {
    throw new BadUsageError(`${option} is not JSON: ${errorMessage(error)}`);
  }
  return text;
}

async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new BadUsageError(`--config-file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
  }
}
