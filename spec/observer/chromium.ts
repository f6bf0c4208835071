import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Debian's chromium (`apt-get install chromium`): Playwright must not download a browser of its own. */
export const CHROMIUM = process.env.AIRLOCK_CHROMIUM ?? '/usr/bin/chromium';

/** No sandbox (CI runs as root in a container), no GPU (there is none). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu'];

/** The browser's path; fails (never skips) with what to do when it is missing. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: apt-get install chromium (or set AIRLOCK_CHROMIUM)`);
  return CHROMIUM;
}

/**
 * Waits until the page draws exactly `count` rows. Polled from here: the page's CSP (script-src
 * 'self') refuses the string evaluation Playwright's in-page polling of an expression would need.
 */
export async function waitForRows(page: Page, count: number, timeoutMs: number): Promise<void> {
  const rows = page.locator('#viewport .row');
  const deadline = Date.now() + timeoutMs;
  let drawn = await rows.count();
  while (drawn !== count) {
    if (Date.now() > deadline) throw new Error(`the page draws ${drawn} rows, not ${count}`);
    await page.waitForTimeout(50);
    drawn = await rows.count();
  }
}
