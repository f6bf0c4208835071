/** The `airlock` command as a function, for embedding and tests; bin/airlock.js is the launcher. */
export { main, USAGE } from './cli.ts';
export type { CommandIo } from './io.ts';
