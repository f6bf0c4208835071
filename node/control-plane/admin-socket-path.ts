import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { address } from '../../lib/address.ts';
import { AdminSocketError } from './errors.ts';

const SOCKET_SUFFIX = '.sock';

/** Where admin sockets live: `$AIRLOCK_ADMIN_DIR`, else `.airlock/` under the working directory. */
export function adminDirectory(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return env.AIRLOCK_ADMIN_DIR || join(cwd, '.airlock');
}

export function adminSocketPath(directory: string, node: string): string {
  return join(directory, `${address(node)}${SOCKET_SUFFIX}`);
}

/**
 * Creates the directory owner-only (0700), or checks an existing one is ours and tightens it:
 * the directory's mode is what keeps other users from reaching the socket at all.
 */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const info = await stat(directory);
  if (!info.isDirectory()) throw new AdminSocketError(directory, 'not a directory');
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new AdminSocketError(directory, `directory is owned by uid ${info.uid}, not by this user`);
  }
  if ((info.mode & 0o077) !== 0) await chmod(directory, 0o700);
}

/** The nodes with a socket in `directory`, by name; none when the directory does not exist. */
export async function listAdminNodes(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(SOCKET_SUFFIX)).map((name) => name.slice(0, -SOCKET_SUFFIX.length)).sort();
}
