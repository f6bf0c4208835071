import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as airlock from '../index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** package.json's `exports`: each face of the package, compiled into dist/ (spec/package/pack.spec.ts uses them). */
const EXPORTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
const FACES = Object.entries(EXPORTS).filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object');

/** The source of a face: `./dist/x/index.js` is compiled from `x/index.ts`. */
function sourceOf(face: { default: string }): string {
  return join(ROOT, face.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/** Imports the source of the subpath `airlock/<name>`, as the package's exports map it. */
function importFace(subpath: string): Promise<Record<string, unknown>> {
  const face = FACES.find(([key]) => key === subpath);
  assert.ok(face, `package.json exports no ${subpath}`);
  return import(pathToFileURL(sourceOf(face[1])).href) as Promise<Record<string, unknown>>;
}

/** What a user writes topologies with; everything else stays internal or behind a subpath. */
const PUBLIC_FACE = [
  'ActorCrashedError', 'ActorStoppedError', 'AirlockError', 'AskTimeoutError', 'ChildRunningError', 'DuplicateChildError',
  'InvalidAddressError', 'InvalidMessageError', 'InvalidSpecError', 'MailboxFullError', 'MalformedFrameError', 'NoReplyError',
  'NotSupervisedError', 'OversizedMessageError', 'RunningTopology', 'SystemStoppedError', 'TooManyChildrenError',
  'UnknownAddressError', 'UnknownMessageTypeError', 'VirtualClock', 'address', 'child', 'connectRabbit', 'createSystem',
  'defineActor', 'defineMachineActor', 'defineProtocol', 'defineTopology', 'dynamicSupervisor', 'errorMessage', 'realClock',
  'realNetwork', 'realPorts', 'realRandom', 'registerErrors', 'replyWith', 'run', 'seededRandom', 'serveHttp', 'supervisor',
  'withConfig',
];

/** Every .ts file under `folder`, relative to the repository. */
function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

describe('the public face', () => {
  it("the root exports the user's API and nothing else", () => {
    assert.deepEqual(Object.keys(airlock).sort(), PUBLIC_FACE);
  });

  it('keeps internals and a mocha-shadowing `describe` out of the root', () => {
    for (const name of ['ActorCell', 'BoundedMailbox', 'MailboxRegistry', 'PendingAsks', 'TimerQueue', 'SimBroker', 'SimWorld', 'checkInvariants', 'describe']) {
      assert.ok(!(name in airlock), `${name} is exported from the root`);
    }
  });

  it('maps every face of the package to its declarations and JavaScript in dist/, compiled from a source face', () => {
    const keys = FACES.map(([key]) => key);
    for (const key of ['.', './rabbitmq', './amqp10', './sim', './clients', './split-broker', './dmz-float']) assert.ok(keys.includes(key), `no ${key}`);
    for (const [key, face] of FACES) {
      assert.ok(face.default.startsWith('./dist/') && face.default.endsWith('.js'), `${key}: ${face.default}`);
      assert.equal(face.types, face.default.replace(/\.js$/, '.d.ts'), key);
      assert.ok(existsSync(sourceOf(face)), `${key}: no ${relative(ROOT, sourceOf(face))}`);
    }
    assert.equal(sourceOf(FACES[0][1]), join(ROOT, 'index.ts'));
    assert.ok(!FACES.some(([, face]) => sourceOf(face) === join(ROOT, 'internal.ts')), 'internal.ts is a face of the package');
  });

  it('resolves the subpaths airlock/rabbitmq, airlock/amqp10 and airlock/sim to their sources', async () => {
    const rabbitmq = await importFace('./rabbitmq');
    const amqp10 = (await importFace('./amqp10')) as { amqp10Links: { connect: unknown } };
    const sim = await importFace('./sim');
    assert.equal(typeof rabbitmq.connectRabbit, 'function');
    assert.equal(typeof rabbitmq.BrokerUnavailableError, 'function');
    assert.equal(typeof amqp10.amqp10Links.connect, 'function');
    assert.equal(typeof sim.SimWorld, 'function');
    assert.equal(typeof sim.runScenario, 'function');
    assert.equal(typeof sim.SimBroker, 'function');
  });

  it('lib imports no other folder (so the root never loads rhea through the Links default)', () => {
    const outside: string[] = [];
    for (const file of sources('lib')) {
      for (const [, specifier] of readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const target = relative(join(ROOT, 'lib'), resolve(ROOT, dirname(file), specifier));
        if (target.startsWith('..')) outside.push(`${file} imports ${specifier}`);
      }
    }
    assert.deepEqual(outside, []);
  });
});
