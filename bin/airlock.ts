/** Entry point of the `airlock` command (see bin/airlock.js); the work is in cli.ts. */
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, cwd: process.cwd() });
