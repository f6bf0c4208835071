import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { adminDirectory } from './admin-socket-path.ts';
import { CONTROL_KEY_BYTES, ControlKey } from './control-key.ts';
import { ControlKeyError } from './errors.ts';

const KEY_FILE = 'control.key';

/** Where the control key lives: `$AIRLOCK_CONTROL_KEY_FILE`, else `control.key` in the admin directory. */
export function controlKeyPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return env.AIRLOCK_CONTROL_KEY_FILE || join(adminDirectory(env, cwd), KEY_FILE);
}

/**
 * Reads the key at `path`, refusing (as ssh does with private keys) a file that other users
 * could read or that belongs to someone else: such a key no longer proves anything.
 */
export async function readControlKey(path: string): Promise<ControlKey> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ControlKeyError(path, unreadable(error), { cause: error });
  });
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new ControlKeyError(path, 'not a regular file');
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
      throw new ControlKeyError(path, `owned by uid ${info.uid}, not by this user`);
    }
    const mode = info.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ControlKeyError(path, `mode 0${mode.toString(8)} lets other users read it; make it owner-only (chmod 600 ${path})`);
    }
    const bytes = await file.readFile();
    if (bytes.byteLength !== CONTROL_KEY_BYTES) throw new ControlKeyError(path, `holds ${bytes.byteLength} bytes, not ${CONTROL_KEY_BYTES}`);
    return ControlKey.fromBytes(bytes);
  } finally {
    await file.close();
  }
}

/**
 * The key at `path`, created first when missing: 32 bytes from the CSPRNG, mode 0600, its
 * directory created 0700. Written aside and linked into place, so nodes starting together
 * agree on one key and none ever reads a half-written file.
 */
export async function ensureControlKey(path: string): Promise<ControlKey> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const draft = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  await writeFile(draft, ControlKey.generate().bytes(), { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new ControlKeyError(path, error.message, { cause: error });
    });
  } finally {
    await unlink(draft);
  }
  return readControlKey(path);
}

function unreadable(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return "no such file (`airlock run` creates it beside the node's admin socket; copy it here, mode 0600, or point $AIRLOCK_CONTROL_KEY_FILE at it)";
    case 'EACCES':
      return 'permission denied (the key is owner-only)';
    default:
      return error.message;
  }
}
