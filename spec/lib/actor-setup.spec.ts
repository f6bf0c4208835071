import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { z } from 'zod';
import {
  child,
  createSystem,
  startTree,
  supervisor,
  defineActor,
  defineProtocol,
  InvalidSpecError,
  withConfig,
  type ActorSystem,
} from '../../internal.ts';
import { recordEvents, settle, settleMany } from '../support/fixtures.ts';

const Echo = defineProtocol('echo', { say: { body: z.object({ text: z.string() }), reply: z.string() } });

/** Answers with its configured prefix; setup waits for `gate` first. */
function gatedEcho(gate: Promise<void>) {
  return defineActor({
    protocol: Echo,
    config: z.object({ prefix: z.string().min(1), repeat: z.number().int().positive().default(1) }),
    async setup(ctx) {
      await gate;
      const { prefix, repeat } = ctx.config;
      return { say: ({ text }) => `${prefix}${text}`.repeat(repeat) };
    },
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('actor setup, config and logging', () => {
  let system: ActorSystem;
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('messages wait in the mailbox until an async setup resolves, and the config reaches setup', async () => {
    system = createSystem();
    const events = recordEvents(system);
    const gate = deferred();
    const ref = system.spawn(withConfig(gatedEcho(gate.promise), { prefix: '> ' }), 'echo');
    const answer = ref.ask('say', { text: 'hi' });
    await settle();
    assert.deepEqual(events, [], 'not started while setup runs');
    gate.resolve();
    assert.equal(await answer, '> hi');
    assert.deepEqual(events, ['started echo']);
  });

  it('a shutdown during an async setup waits for it, then ends the incarnation', async () => {
    system = createSystem();
    const events = recordEvents(system);
    const gate = deferred();
    system.spawn(withConfig(gatedEcho(gate.promise), { prefix: '> ' }), 'echo');
    const stopping = system.stop({ drainTimeoutMs: 0 });
    await settle();
    assert.deepEqual(events, []);
    gate.resolve();
    await stopping;
    assert.deepEqual(events, ['stopped echo']);
  });

  it('a supervisor reports restarted once an async setup has finished, and not at all when it fails', async () => {
    system = createSystem();
    const Crash = defineProtocol('crash', { crash: { body: z.object({}) } });
    const gates: { open(): void; fail(error: Error): void }[] = [];
    const slow = defineActor({
      protocol: Crash,
      async setup() {
        // The first start is immediate; each restart waits for the spec to open or fail its gate.
        if (gates.length > 0 || started++ > 0) await new Promise<void>((open, fail) => gates.push({ open, fail }));
        return {
          crash: () => {
            throw new Error('boom');
          },
        };
      },
    });
    let started = 0;
    const events = recordEvents(system);
    startTree(system, supervisor({ intensity: { maxRestarts: 5, withinMs: 60_000 }, children: [child('slow', slow)] }), 'app');
    await settleMany();
    events.length = 0;
    await system.ref('app/slow', Crash).tell('crash', {});
    await settleMany();
    assert.deepEqual(events, ['failed app/slow', 'stopped app/slow'], 'no restarted while the new setup runs');
    gates.shift()!.open();
    await settleMany();
    assert.deepEqual(events.slice(2), ['started app/slow', 'restarted app/slow']);
    events.length = 0;
    await system.ref('app/slow', Crash).tell('crash', {});
    await settleMany();
    gates.shift()!.fail(new Error('port taken'));
    await settleMany();
    assert.deepEqual(events.slice(0, 4), ['failed app/slow', 'stopped app/slow', 'failed app/slow', 'stopped app/slow'], 'a setup that failed is no restart');
    assert.ok(!events.slice(0, 4).includes('restarted app/slow'));
  });

  it('child() validates the config against the actor schema, with defaults, and refuses a bad one as INVALID_SPEC', () => {
    const actor = gatedEcho(Promise.resolve());
    assert.doesNotThrow(() => child('echo', actor, { config: { prefix: '$ ' } }));
    const refusal = (reason: string) => (error: unknown) =>
      error instanceof InvalidSpecError && error.code === 'INVALID_SPEC' && error.message === `invalid spec of child "echo": ${reason}`;
    assert.throws(
      () => child('echo', actor, { config: { prefix: '', repeat: 0 } }),
      refusal("config does not match the actor's schema: prefix: Too small: expected string to have >=1 characters; repeat: Too small: expected number to be >0"),
    );
    // @ts-expect-error -- the config is required by the actor's schema, at compile time too
    assert.throws(() => child('echo', actor), refusal("config does not match the actor's schema: (config): Invalid input: expected object, received undefined"));
    // @ts-expect-error -- a prefix is a string
    assert.throws(() => child('echo', actor, { config: { prefix: 3 } }), InvalidSpecError);
    const plain = defineActor({ protocol: Echo, setup: () => ({ say: ({ text }) => text }) });
    // @ts-expect-error -- an actor without a config schema takes no config
    assert.throws(() => child('plain', plain, { config: { prefix: '> ' } }), (error: unknown) =>
      error instanceof InvalidSpecError && error.message === 'invalid spec of child "plain": config given to an actor whose definition declares no config schema');
  });

  it('ctx.log writes JSON lines carrying the actor address to the system logger', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    system = createSystem({ logger: pino({ base: undefined, timestamp: false }, sink) });
    const Greeter = defineProtocol('greeter', { greet: { body: z.object({ name: z.string() }) } });
    const ref = system.spawn(defineActor({ protocol: Greeter, setup: (ctx) => ({ greet: ({ name }) => ctx.log.info({ name }, 'greeted') }) }), 'greeter');
    await ref.tell('greet', { name: 'ada' });
    await settle();
    assert.deepEqual(lines.map((line) => JSON.parse(line)), [{ level: 30, address: 'greeter', name: 'ada', msg: 'greeted' }]);
  });

  it('ctx.log is silent without a logger', async () => {
    system = createSystem();
    const Greeter = defineProtocol('greeter', { greet: { body: z.object({}), reply: z.string() } });
    const ref = system.spawn(defineActor({ protocol: Greeter, setup: (ctx) => ({ greet: () => (ctx.log.error('not shown'), ctx.log.level) }) }), 'greeter');
    const written: unknown[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: unknown) => (written.push(chunk), true)) as typeof process.stdout.write;
    try {
      assert.equal(await ref.ask('greet', {}), 'silent');
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(written, []);
  });
});
