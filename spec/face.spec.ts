import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as airlock from 'airlock';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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

  it('resolves the subpaths airlock/rabbitmq, airlock/amqp10 and airlock/sim', async () => {
    const rabbitmq = await import('airlock/rabbitmq');
    const amqp10 = await import('airlock/amqp10');
    const sim = await import('airlock/sim');
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
