// Type-level checks: each `@ts-expect-error` below must be an error, or `tsc --noEmit` fails; the
// last test also compiles a user's mistake and reads what the compiler says about it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { child, defineActor, defineProtocol } from '../../index.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPOSITORY, 'node_modules', '.bin', 'tsc');

const Ping = defineProtocol('ping', { ping: { body: z.object({}) } });
const needsPort = defineActor({ protocol: Ping, config: z.object({ port: z.number() }), setup: () => ({ ping: () => undefined }) });
const mayTakePort = defineActor({ protocol: Ping, config: z.object({ port: z.number() }).optional(), setup: () => ({ ping: () => undefined }) });
const plain = defineActor({ protocol: Ping, setup: () => ({ ping: () => undefined }) });

/** What a user writes when they forget an actor's config (line 5, `needsPort` at column 37). */
const FORGOT_CONFIG = `import { z } from 'zod';
import { child, defineActor, defineProtocol } from '../../../index.ts';
const Ping = defineProtocol('ping', { ping: { body: z.object({}) } });
const needsPort = defineActor({ protocol: Ping, config: z.object({ port: z.number() }), setup: () => ({ ping: () => undefined }) });
export const spec = child('server', needsPort);
`;

/** Compiles `source` as a strict user file beside this spec; resolves with tsc's plain output. */
async function compile(source: string): Promise<string> {
  // Inside the repository so that zod and airlock's source resolve; a dot folder, which the
  // repository's own tsconfig does not include.
  const dir = await mkdtemp(join(REPOSITORY, 'spec', 'lib', '.config-types-'));
  try {
    await writeFile(join(dir, 'user.ts'), source);
    const options = ['--ignoreConfig', '--noEmit', '--pretty', 'false', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const flags = [...options, '--target', 'es2022', '--allowImportingTsExtensions', '--types', 'node', 'user.ts'];
    return await new Promise((resolve) => execFile(TSC, flags, { cwd: dir }, (_error, stdout) => resolve(stdout)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('child config types', () => {
  it('accepts an actor with its config, with an optional one left out, and one that takes none', () => {
    const specs = [
      child('server', needsPort, { config: { port: 80 } }),
      child('server', needsPort, { config: { port: 80 }, restart: 'transient' }),
      child('maybe', mayTakePort),
      child('maybe', mayTakePort, { config: { port: 81 } }),
      child('plain', plain),
      child('plain', plain, { restart: 'temporary' }),
    ];
    assert.deepEqual(specs.map((spec) => spec.id), ['server', 'server', 'maybe', 'maybe', 'plain', 'plain']);
  });

  it('refuses an actor whose config is required but missing or of the wrong shape', () => {
    // @ts-expect-error -- `needsPort` needs `{ config: { port } }`
    assert.throws(() => child('server', needsPort), { code: 'INVALID_SPEC' });
    // @ts-expect-error -- options without the config it needs
    assert.throws(() => child('server', needsPort, { restart: 'transient' }), { code: 'INVALID_SPEC' });
    // @ts-expect-error -- the port is a number
    assert.throws(() => child('server', needsPort, { config: { port: '80' } }), { code: 'INVALID_SPEC' });
  });

  it('names the missing config in the compiler error, not just the argument count', async function () {
    // tsc loads airlock's source and its dependencies' declarations: seconds on a busy 2-core
    // machine; 60 s is more than 10 times that.
    this.timeout(60_000);
    const output = await compile(FORGOT_CONFIG);
    const errors = output.split('\n').filter((line) => /^user\.ts\(\d+,\d+\): error/.test(line));
    assert.equal(errors.length, 1, output);
    assert.match(errors[0], /^user\.ts\(5,37\): error TS2345: /);
    assert.ok(output.includes("Property ''this actor needs a config: child(id, actor, { config })'' is missing"), output);
    assert.ok(!output.includes('Expected 3 arguments'), output);
  });
});
