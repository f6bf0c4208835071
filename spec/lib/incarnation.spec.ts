import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ActorStoppedError,
  child,
  defineActor,
  defineProtocol,
  startTree,
  supervisor,
  type ActorContext,
  type ActorSystem,
  type VirtualClock,
} from '../../internal.ts';
import { counter, settleMany, testSystem } from '../support/fixtures.ts';

const Keeper = defineProtocol('keeper', {
  crash: { body: z.object({}) },
  tick: { body: z.object({}) },
  ticks: { body: z.object({}), reply: z.number() },
});

describe('one incarnation, one lifetime', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('gives each incarnation its own context; what a handler kept of an ended one reaches nothing', async () => {
    const contexts: ActorContext<typeof Keeper>[] = [];
    let ticks = 0;
    const keeper = defineActor({
      protocol: Keeper,
      setup(ctx) {
        contexts.push(ctx);
        return {
          crash: () => {
            throw new Error('boom');
          },
          tick: () => void ticks++,
          ticks: () => ticks,
        };
      },
    });
    startTree(system, supervisor({ children: [child('keeper', keeper)] }), 'app');
    const ref = system.ref('app/keeper', Keeper);
    await ref.tell('crash', {}).catch(() => {});
    await settleMany(3);
    assert.equal(contexts.length, 2);
    const [old, current] = contexts;
    assert.notEqual(old, current, 'a fresh context per incarnation');
    assert.equal(old!.stopping.aborted, true);
    assert.equal(current!.stopping.aborted, false);

    // A late callback of the old incarnation: its timer never fires, its spawn is refused.
    old!.timers.startSingle('late', 10, 'tick', {});
    assert.equal(old!.timers.isActive('late'), false);
    assert.throws(() => old!.spawn('late-child', counter), ActorStoppedError);
    let cleaned = false;
    old!.onStop(() => void (cleaned = true));
    assert.equal(cleaned, true, 'a stop hook registered too late runs at once: nothing it guards leaks');
    await clock.advance(20);
    await settleMany(3);
    assert.equal(await ref.ask('ticks', {}), 0);

    // The live one's timer does.
    current!.timers.startSingle('live', 10, 'tick', {});
    await clock.advance(20);
    await settleMany(3);
    assert.equal(await ref.ask('ticks', {}), 1);
  });

  it("runs the callbacks its own teardown fires (a link closing at a stop), and none once another incarnation runs", async () => {
    const kept: ((note: string) => void)[] = [];
    const notes: string[] = [];
    const keeper = defineActor({
      protocol: Keeper,
      setup(ctx) {
        const note = ctx.supervise((text: string) => void notes.push(text));
        kept.push(note);
        ctx.onStop(() => note('goodbye from the teardown'));
        return {
          crash: () => {
            throw new Error('boom');
          },
          tick: () => {},
          ticks: () => notes.length,
        };
      },
    });
    startTree(system, supervisor({ children: [child('keeper', keeper)] }), 'app');
    const ref = system.ref('app/keeper', Keeper);
    await ref.tell('crash', {}).catch(() => {});
    await settleMany(3);
    assert.deepEqual(notes, ['goodbye from the teardown'], 'the ended incarnation said goodbye while nothing replaced it yet');
    kept[0]!('too late: the restarted incarnation runs');
    kept[1]!('the live one');
    assert.deepEqual(notes, ['goodbye from the teardown', 'the live one']);
  });
});
