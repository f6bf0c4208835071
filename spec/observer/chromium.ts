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
