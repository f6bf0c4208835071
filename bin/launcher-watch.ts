/**
 * `npx airlock run … &` puts two processes between the shell and the node: npm, and the `sh -c`
 * npm runs the command in. Killing the pid the shell printed signals npm, which passes SIGTERM to
 * that `sh`, which dies without passing it on: the node would keep running with parent 1. So a
 * node started by npm exec (npx) watches its parent and stops, as on SIGTERM, once it is gone.
 *
 * Only under npm exec: a shell that starts `node bin/airlock.js run … &` or a supervisor that
 * daemonises it may well exit before the node, and that is no reason to stop.
 */

/** How often the parent is checked: a node stops at most this long after npx was killed. */
export const LAUNCHER_POLL_MS = 200;

export interface LauncherWatch {
  /** Resolves with `SIGTERM` (what npx was sent, as far as the node can tell) once the launcher is gone. */
  readonly gone: Promise<'SIGTERM'>;
  stop(): void;
}

/** True when npm exec (`npx`, `npm exec`) started this process: npm says so in the environment. */
export function startedByNpmExec(env: NodeJS.ProcessEnv): boolean {
  return env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx';
}

/** Watches the parent process when npm exec started this one; otherwise `gone` never resolves. */
export function watchLauncher(env: NodeJS.ProcessEnv): LauncherWatch {
  if (!startedByNpmExec(env)) return { gone: new Promise(() => {}), stop: () => {} };
  const parent = process.ppid;
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<'SIGTERM'>((resolve) => {
    // Unref'd: watching never keeps the process alive by itself. `process.ppid` asks the OS each time.
    timer = setInterval(() => {
      if (process.ppid !== parent) resolve('SIGTERM');
    }, LAUNCHER_POLL_MS).unref();
  });
  return { gone, stop: () => clearInterval(timer) };
}
