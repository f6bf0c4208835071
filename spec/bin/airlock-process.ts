import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const AIRLOCK = fileURLToPath(new URL('../../bin/airlock.js', import.meta.url));
export const SPLIT_TOPOLOGY = fileURLToPath(new URL('./fixtures/split-topology.ts', import.meta.url));

/** The environment of the commands: admin sockets and control key under their cwd, whatever the caller's env says. */
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.AIRLOCK_ADMIN_DIR;
  delete env.AIRLOCK_CONTROL_KEY_FILE;
  return { ...env, ...extra };
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `airlock` command to its end, as a real child process. */
export function airlock(cwd: string, ...args: string[]): Promise<CommandResult> {
  return airlockWithEnv(cwd, {}, ...args);
}

/** `airlock` with extra environment variables (e.g. another user's `AIRLOCK_CONTROL_KEY_FILE`). */
export function airlockWithEnv(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AIRLOCK, ...args], { cwd, env: environment(env) }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code as number) : 0;
      resolve({ code, stdout, stderr: withoutNodeNoise(stderr) });
    });
  });
}

/** A long-running `airlock run`: its output lines as they come, and a graceful stop. */
export class RunningNode {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<number>;
  private waiters: (() => void)[] = [];

  private constructor(private readonly child: ChildProcess) {
    collect(child.stdout!, this.lines, () => this.wake());
    collect(child.stderr!, this.stderr, () => this.wake());
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    void this.exited.then(() => this.wake());
  }

  static async start(cwd: string, ...args: string[]): Promise<RunningNode> {
    return RunningNode.startWithEnv(cwd, {}, ...args);
  }

  /** `airlock run` with extra environment variables (e.g. a topology's options). */
  static async startWithEnv(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<RunningNode> {
    const node = new RunningNode(spawn(process.execPath, [AIRLOCK, 'run', ...args], { cwd, env: environment(env) }));
    await node.waitFor('airlock: ready');
    return node;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves once a line equal to `line` was printed; rejects if the process exits first. */
  async waitFor(line: string): Promise<void> {
    while (!this.lines.includes(line)) {
      if (this.child.exitCode !== null) throw new Error(`airlock run exited (${this.child.exitCode}): ${this.stderr.join('\n')}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The lines printed after `from` and before `to` (both exclusive). */
  between(from: string, to: string): string[] {
    const start = this.lines.indexOf(from);
    const end = this.lines.indexOf(to, start + 1);
    return this.lines.slice(start + 1, end < 0 ? undefined : end);
  }

  /** Sends SIGTERM and resolves with the exit code once the node stopped. */
  stop(): Promise<number> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function collect(stream: NodeJS.ReadableStream, lines: string[], onLine: () => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    onLine();
  });
}

/** Node's own warnings (e.g. about npm config) are not the command's output. */
function withoutNodeNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('npm warn') && !line.includes('ExperimentalWarning') && !line.includes('--trace-warnings'))
    .join('\n');
}
