#!/usr/bin/env node
// The `airlock` command, in this very process so signals (SIGINT/SIGTERM) reach the command itself
// and it can stop its nodes gracefully. The installed package has no source and runs the compiled
// dist/. In a checkout (bin/airlock.ts beside this file) it runs the source through tsx, which costs
// a few hundred milliseconds at every start; so a command that loads no TypeScript file of the
// user's runs the compiled dist/ when `npm run build` left one newer than every source file.
import { existsSync, readdirSync, statSync } from 'node:fs';

const source = new URL('./airlock.ts', import.meta.url);
const compiled = new URL('../dist/bin/airlock.js', import.meta.url);
/** The folders tsconfig.build.json compiles, besides the root's own .ts files. */
const BUILT_FOLDERS = ['lib', 'sim', 'supervisors', 'transports', 'node', 'actors', 'testing', 'bin', 'types'];

if (!existsSync(source)) await import(compiled.href);
else if (!loadsTypeScript(process.argv.slice(2)) && builtAfterSource()) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
}

/**
 * A topology or scenario in TypeScript needs tsx, and in a checkout it imports airlock's source:
 * running the compiled airlock beside it would load two copies of every class.
 */
function loadsTypeScript(args) {
  return args.some((arg) => /\.[cm]?tsx?$/.test(arg));
}

/** True when dist/ exists and no source file changed since it was built (a stat per file: a few ms). */
function builtAfterSource() {
  if (process.env.AIRLOCK_FROM_SOURCE === '1' || !existsSync(compiled)) return false;
  const builtAt = statSync(compiled).mtimeMs;
  const root = new URL('../', import.meta.url);
  const newer = (path) => statSync(path).mtimeMs > builtAt;
  const rootFiles = readdirSync(root).filter((name) => name.endsWith('.ts')).map((name) => new URL(name, root));
  if (rootFiles.some(newer)) return false;
  return BUILT_FOLDERS.every((folder) => !anyNewer(new URL(`${folder}/`, root), newer));
}

function anyNewer(folder, newer) {
  if (!existsSync(folder)) return false;
  return readdirSync(folder, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? anyNewer(new URL(`${entry.name}/`, folder), newer) : entry.name.endsWith('.ts') && newer(new URL(entry.name, folder)),
  );
}
