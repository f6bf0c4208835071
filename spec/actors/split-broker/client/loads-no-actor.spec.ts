import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The relative specifiers a file loads at run time (`import type` and `export type` load nothing). */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)].map(([, specifier]) => specifier!);
}

/** Every file `entry` loads at run time, following relative imports (repository-relative paths). */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) visit(relative(ROOT, resolve(ROOT, dirname(file), specifier)));
  };
  visit(entry);
  return seen;
}

describe('the client face', () => {
  it('a client process loads no actor code: airlock/clients reaches only client/, wire/, limits.ts, lib/ errors and the real Clock and Network ports', () => {
    const loaded = [...loadedBy('actors/split-broker/client/index.ts')].filter((file) => !/^actors\/split-broker\/(client|wire)\/|^actors\/split-broker\/limits\.ts$/.test(file));
    assert.deepEqual(loaded.sort(), ['lib/errors.ts', 'lib/ports/clock.ts', 'lib/ports/real-network.ts', 'lib/wire-errors.ts']);
  });
});
