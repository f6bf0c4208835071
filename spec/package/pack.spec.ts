import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOfflineProject } from './offline-project.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPOSITORY, 'node_modules', '.bin', 'tsc');

/**
 * The strictest consumer: strict, `exactOptionalPropertyTypes`, and every declaration checked
 * (no `skipLibCheck`), so airlock's own `.d.ts` files must hold up under those flags too.
 */
const STRICT = ['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];

/**
 * xstate's own declarations fail under `exactOptionalPropertyTypes` (setup.d.ts: `Type 'TConfig'
 * does not satisfy the constraint 'StateSchema'`, the upstream statelyai/xstate#4613 family):
 * nothing a consumer of airlock can change, so those, and only those, are let through.
 */
const XSTATE_UPSTREAM = /^node_modules\/xstate\/dist\/declarations\/src\/setup\.d\.ts\(\d+,\d+\): error TS2344: /;

/** tsc's error lines (not their indented explanations), less xstate's upstream ones. */
function errorsBeyondXstate(output: string): string[] {
  return output.split('\n').filter((line) => /^\S.*\(\d+,\d+\): error TS\d+/.test(line) && !XSTATE_UPSTREAM.test(line));
}

/** The README's TypeScript examples marked ```` ```ts compile ````: each stands alone, imports and all. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts compile\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}
const FACES = Object.keys((JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports)
  .filter((key) => key !== './package.json')
  .map((key) => `airlock${key.slice(1)}`);

interface Packed {
  filename: string;
  integrity: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an error. */
function exec(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });
}

async function succeed(command: string, args: string[], cwd: string): Promise<string> {
  const result = await exec(command, args, cwd);
  assert.equal(result.code, 0, `${command} ${args.join(' ')}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

const TOPOLOGY_MJS = `
import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, supervisor } from 'airlock';

export const Echo = defineProtocol('echo', { say: { body: z.object({ text: z.string() }), reply: z.string() } });
const echo = defineActor({ protocol: Echo, setup: () => ({ say: ({ text }) => 'echo ' + text }) });
export default defineTopology('tiny', { app: supervisor({ children: [child('echo', echo)] }) });
`;

/** The same topology as a TypeScript user writes it (types the plain Node loader refuses). */
const TOPOLOGY_TS = `
import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, supervisor, type Topology } from 'airlock';

const Echo = defineProtocol('echo', { say: { body: z.object({ text: z.string() }), reply: z.string() } });
const echo = defineActor({ protocol: Echo, setup: () => ({ say: ({ text }: { text: string }): string => 'echo ' + text }) });
const topology: Topology = defineTopology('tiny', { app: supervisor({ children: [child('echo', echo)] }) });
export default topology;
`;

/** Plain JavaScript: every face imports, and the root runs a topology that answers an ask. */
const USE_MJS = `
import { run } from 'airlock';
import topology, { Echo } from './topology.mjs';

const faces = {};
for (const face of ${JSON.stringify(FACES)}) faces[face] = Object.keys(await import(face)).length > 0;
const running = run(topology);
const answer = await running.ref('app/echo', Echo).ask('say', { text: 'hi' });
await running.stop();
const rabbitmq = await import('airlock/rabbitmq');
const sim = await import('airlock/sim');
console.log(JSON.stringify({ faces, answer, connectRabbit: typeof rabbitmq.connectRabbit, SimWorld: typeof sim.SimWorld }));
`;

/** Typechecks only if the shipped declarations type every face (strict, no skipLibCheck). */
const TYPED_TS = `
import { z } from 'zod';
import { defineProtocol, type ActorRef } from 'airlock';
import { connectRabbit } from 'airlock/rabbitmq';
import { amqp10Links } from 'airlock/amqp10';
import { SimWorld } from 'airlock/sim';
import * as clients from 'airlock/clients';
import * as splitBroker from 'airlock/split-broker';
import * as dmzFloat from 'airlock/dmz-float';
import * as relay from 'airlock/relay';
import * as rendezvous from 'airlock/rendezvous';

const Echo = defineProtocol('echo', { say: { body: z.object({ text: z.string() }), reply: z.string() } });
export function greet(ref: ActorRef<typeof Echo>): Promise<string> {
  return ref.ask('say', { text: 'hi' });
}
export const parts = [connectRabbit, amqp10Links, SimWorld, clients, splitBroker, dmzFloat, relay, rendezvous];
`;

/** A reply typed wrong: the declarations must carry the protocol's types, not \`any\`. */
const WRONG_TS = `
import { z } from 'zod';
import { defineProtocol, type ActorRef } from 'airlock';

const Echo = defineProtocol('echo', { say: { body: z.object({ text: z.string() }), reply: z.string() } });
export function greet(ref: ActorRef<typeof Echo>): Promise<number> {
  return ref.ask('say', { text: 'hi' });
}
`;

const GRAPH = [
  'topology tiny',
  '',
  'app          supervisor one_for_one, at most 3 restarts in 5000 ms',
  '└─ app/echo  actor speaking echo; permanent, shutdown 5000 ms',
  '',
].join('\n');

describe('the npm package', function () {
  this.timeout(120_000);
  let dir: string;
  let app: string;
  let packed: Packed;

  before(async function () {
    this.timeout(240_000);
    dir = await mkdtemp(join(tmpdir(), 'airlock-pack-'));
    // prepack builds dist/ first.
    packed = (JSON.parse(await succeed('npm', ['pack', '--json', '--pack-destination', dir], REPOSITORY)) as Packed[])[0];
    app = join(dir, 'app');
    await mkdir(app);
    await writeOfflineProject(app, `../${packed.filename}`, packed.integrity, { dependencies: ['zod', 'xstate'], devDependencies: ['tsx', '@types/node', '@types/mocha'] });
    await succeed('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
    await writeFile(join(app, 'topology.mjs'), TOPOLOGY_MJS);
    await writeFile(join(app, 'topology.ts'), TOPOLOGY_TS);
    await writeFile(join(app, 'use.mjs'), USE_MJS);
    await writeFile(join(app, 'typed.ts'), TYPED_TS);
    await writeFile(join(app, 'wrong.ts'), WRONG_TS);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('holds the compiled faces, the command, the docs and no spec, bench, fuzz or TypeScript source', () => {
    const paths = packed.files.map((file) => file.path);
    const stray = paths.filter(
      (path) => !/^(dist\/.+\.(js|js\.map|d\.ts)|bin\/airlock\.js|types\/sodium-native\.d\.ts|docs\/architecture\.md|README\.md|LICENSE|package\.json)$/.test(path),
    );
    assert.deepEqual(stray, []);
    assert.deepEqual(paths.filter((path) => /(^|\/)(spec|bench|fuzz|fixtures)(\/|\.)|\.spec\.|internal\.(js|d\.ts)$/.test(path)), []);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'airlock', 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string } | string> };
    for (const face of Object.values(manifest.exports)) {
      for (const target of typeof face === 'string' ? [face] : [face.types, face.default]) assert.ok(paths.includes(target.slice(2)), `${target} is not in the tarball`);
    }
    assert.equal(packed.entryCount, paths.length);
    assert.ok(packed.size < 1024 * 1024, `the tarball is ${packed.size} bytes`);
    console.log(`      ${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
  });

  it('installs with no network; tsx is an optional peer, zod and xstate peers the user installs', () => {
    assert.ok(existsSync(join(app, 'node_modules', 'airlock', 'dist', 'index.js')));
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'airlock', 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    assert.deepEqual([manifest.dependencies.tsx, manifest.dependencies.zod, manifest.dependencies.xstate], [undefined, undefined, undefined]);
    assert.deepEqual(manifest.peerDependencies, { tsx: '^4.23.15', xstate: '^5.33.3', zod: '^4.6.7' });
    assert.deepEqual(manifest.peerDependenciesMeta, { tsx: { optional: true } });
  });

  it('imports the root and every subpath from plain .mjs, and runs a topology that answers an ask', async () => {
    const output = JSON.parse(await succeed(process.execPath, ['use.mjs'], app)) as unknown;
    assert.deepEqual(output, {
      faces: Object.fromEntries(FACES.map((face) => [face, true])),
      answer: 'echo hi',
      connectRabbit: 'function',
      SimWorld: 'function',
    });
  });

  it('typechecks TypeScript against the shipped declarations, with exactOptionalPropertyTypes and no skipLibCheck', async () => {
    const typed = await exec(TSC, [...STRICT, 'typed.ts'], app);
    assert.deepEqual(errorsBeyondXstate(typed.stdout), [], typed.stdout);
    assert.equal(typed.stderr, '');
    const wrong = await exec(TSC, [...STRICT, 'wrong.ts'], app);
    assert.notEqual(wrong.code, 0);
    assert.deepEqual(errorsBeyondXstate(wrong.stdout), ["wrong.ts(7,3): error TS2322: Type 'Promise<string>' is not assignable to type 'Promise<number>'."]);
    assert.ok(wrong.stdout.includes("\n  Type 'string' is not assignable to type 'number'."), wrong.stdout);
  });

  it("compiles every README example marked `ts compile` as the user's own code, under the same flags", async () => {
    const examples = readmeExamples();
    assert.equal(examples.length, 6);
    const files = examples.map((_, index) => `readme-${index + 1}.ts`);
    await Promise.all(examples.map((source, index) => writeFile(join(app, files[index]), source)));
    const result = await exec(TSC, [...STRICT, '--types', 'node,mocha', ...files], app);
    assert.deepEqual(errorsBeyondXstate(result.stdout), [], result.stdout);
  });

  it('runs `npx airlock --help` and `npx airlock graph` on a JavaScript topology', async () => {
    const help = await succeed('npx', ['airlock', '--help'], app);
    assert.ok(help.startsWith('usage:\n  airlock run <topology.ts>'), help);
    assert.equal(await succeed('npx', ['airlock', 'graph', 'topology.mjs'], app), GRAPH);
  });

  it("loads a TypeScript topology through the project's own tsx", async () => {
    assert.equal(await succeed('npx', ['airlock', 'graph', 'topology.ts'], app), GRAPH);
  });

  it('tells a project without tsx to add it or write JavaScript', async () => {
    const plain = join(dir, 'plain');
    await mkdir(plain);
    await writeFile(join(plain, 'topology.ts'), TOPOLOGY_TS);
    const result = await exec(process.execPath, [join(app, 'node_modules', '.bin', 'airlock'), 'graph', 'topology.ts'], plain);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.split('\n')[0],
      'airlock: BAD_USAGE: cannot load topology.ts: a TypeScript file needs tsx in your project (npm install --save-dev tsx), or write it as JavaScript (.mjs)',
    );
  });
});
