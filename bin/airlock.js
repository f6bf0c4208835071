#!/usr/bin/env node
// The `airlock` command, in this very process so signals (SIGINT/SIGTERM) reach the command itself
// and it can stop its nodes gracefully. In a checkout (bin/airlock.ts beside this file) it runs the
// source through tsx; the installed package has no source and runs the compiled dist/ instead.
import { existsSync } from 'node:fs';

const source = new URL('./airlock.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/bin/airlock.js');
}
