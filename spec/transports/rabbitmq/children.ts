import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from '../../support/fixtures.ts';

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/node.ts', import.meta.url));

/** A fixture node in a child process, and the first message it sent that matches. */
export interface NodeProcess {
  child: ChildProcess;
  next<T>(match: (message: any) => message is T): Promise<T>;
  next(match: (message: any) => boolean): Promise<any>;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string | null>;
}

export function startNode(args: string[]): NodeProcess {
  return startScript(NODE_SCRIPT, args);
}

/** A fixture script (a path) in a child process under tsx. */
export function startScript(script: string, args: string[]): NodeProcess {
  const child = fork(script, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const next = (match: (message: any) => boolean) =>
    new Promise<any>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!match(message)) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      void exited.then((how) => reject(new Error(`node ${args.join(' ')} exited (${String(how)}) before sending the message`)));
    });
  return { child, next, exited } as NodeProcess;
}

/** Polls `condition` every 20 ms until it holds, or fails after `timeoutMs`. */
export function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  return until(condition, what, { withinMs: timeoutMs, everyMs: 20 });
}
