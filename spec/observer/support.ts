/**
 * What the observer's browser specs share: `airlock observe` as a real process, and waits for
 * what its page draws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { AIRLOCK } from '../bin/airlock-process.ts';

/**
 * Waits in the page: the observer polls each node once a second and pushes 4 times a second, a
 * change shows within ~1.5 s on a quiet machine; 15 s leaves room for a busy one (other
 * engineers' specs share this 2-core machine).
 */
export const SEEN = { timeout: 15_000 };

/** A running `airlock observe`: its stdout lines as they come, and the page's address. */
export interface ObserveProcess {
  process: ChildProcess;
  lines: string[];
  url: string;
}

/** `airlock observe` as a real process; resolves with the address it printed once ready. */
export async function startObserve(cwd: string, args: string[]): Promise<ObserveProcess> {
  const child = spawn(process.execPath, [AIRLOCK, 'observe', ...args], { cwd, env: { ...process.env, AIRLOCK_ADMIN_DIR: '', AIRLOCK_CONTROL_KEY_FILE: '' } });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      const ready = lines.includes('airlock: ready');
      const at = lines.find((line) => line.startsWith('airlock: observer on '));
      if (ready && at) resolve({ process: child, lines, url: at.slice('airlock: observer on '.length) });
    });
    child.once('exit', (code) => reject(new Error(`airlock observe exited ${code}: ${stderr}`)));
  });
}

/** Stops `airlock observe` (SIGTERM) and resolves once it exited. */
export async function stopObserve(observer: ObserveProcess | undefined): Promise<void> {
  const child = observer?.process;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Waits until the cell `column` of the row of `address` passes `check` (polled by Playwright in the page). */
export async function waitForCell(page: Page, address: string, column: string, check: (text: string) => boolean): Promise<void> {
  const cell = page.locator(`#viewport .row[data-address="${address}"] .${column}`);
  const deadline = Date.now() + SEEN.timeout;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await cell.textContent({ timeout: SEEN.timeout }).catch(() => null);
    if (last !== null && check(last)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the ${column} of ${address} stayed '${last}'`);
}
