import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AIRLOCK } from './airlock-process.ts';

const RECORD_IMPORTS = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));

/**
 * Runs `airlock ...args` in `cwd` (its admin sockets and control key there) with every module it
 * resolves recorded; resolves with their URLs. `env` adds variables (e.g. AIRLOCK_FROM_SOURCE=1).
 */
export function importsOf(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string[]> {
  const file = join(cwd, `imports-${process.pid}-${Date.now()}.txt`);
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env, AIRLOCK_SPEC_IMPORTS_FILE: file };
  delete environment.AIRLOCK_ADMIN_DIR;
  delete environment.AIRLOCK_CONTROL_KEY_FILE;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', RECORD_IMPORTS, AIRLOCK, ...args], { cwd, env: environment }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`airlock ${args.join(' ')}: ${stderr}`));
      readFile(file, 'utf8').then((text) => resolve(text.replace(/\n$/, '').split('\n')), reject);
    });
  });
}
