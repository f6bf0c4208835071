/**
 * The Erlang/OTP side of a benchmark (bench only): runs bench/erl/actors.escript, which times its
 * workload inside the VM (erl's start-up is not counted) and prints one line of JSON. Undefined
 * when `escript` is not installed, so the benchmark still runs without Erlang beside it.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./erl/actors.escript', import.meta.url));

let available: boolean | undefined;

export async function erl<T>(mode: 'spawn' | 'pingpong', count: number): Promise<T | undefined> {
  if (available === false) return undefined;
  try {
    const { stdout } = await run('escript', [SCRIPT, mode, String(count)], { timeout: 300_000 });
    available = true;
    return JSON.parse(stdout.trim().split('\n').pop()!) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      available = false;
      return undefined;
    }
    throw error;
  }
}
