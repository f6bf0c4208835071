import assert from 'node:assert/strict';
import { z } from 'zod';
import { child, defineActor, defineProtocol, startTree, supervisor, withConfig, type ActorDefinition } from '../../internal.ts';
import { checkInvariants, completedInBound, FaultNotAppliedError, NO_FAULTS, SimWorld, type ScheduledFault } from '../../sim/index.ts';

const Note = defineProtocol('note', { note: { body: z.object({ n: z.number().int() }) }, total: { body: z.object({}), reply: z.number() } });

/** A tally whose starting sum comes from its config: a child with a `config`, as the report's. */
const tally = defineActor({
  protocol: Note,
  config: z.object({ start: z.number().int() }),
  setup: (ctx) => {
    let sum = ctx.config.start;
    return { note: ({ n }) => void (sum += n), total: () => sum };
  },
});

const CALM = { transport: 'in-process', calmAt: 100, faults: { ...NO_FAULTS, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } } } as const;

/** Runs one node `a` with the tally at `a/tally`, three notes (1, 10, 100) at 10, 30, 40 ms, and the given faults. */
async function runTally(world: SimWorld, start: () => ReturnType<typeof child>, faults: ScheduledFault[]): Promise<number | undefined> {
  const node = world.addNode('a', (self) => void startTree(self.system, supervisor({ children: [start()] }), 'a'));
  const ref = () => node.system.ref('a/tally', Note);
  world.at(10, () => void ref().tell('note', { n: 1 }));
  world.at(30, () => void ref().tell('note', { n: 10 }));
  world.at(40, () => void ref().tell('note', { n: 100 }));
  let total: number | undefined;
  world.at(50, () => void ref().ask('total', {}).then((value) => (total = value)));
  world.schedule(faults);
  await world.run();
  return total;
}

const crashAt20: ScheduledFault[] = [{ at: 20, kind: 'crash-actor', node: 'a', address: 'a/tally' }];
const texts = (world: SimWorld) => world.trace.entries.filter((entry) => entry.kind === 'fault').map((entry) => entry.text);

describe('sim: a scheduled fault applies, or the run fails naming it', () => {
  it('crashes a crashable child given a config (child(id, crashable(actor), { config }))', async () => {
    const world = new SimWorld(5, CALM);
    const total = await runTally(world, () => child('tally', world.crashable(tally), { config: { start: 1_000 } }), crashAt20);
    // The restart began again at 1000; the note of 10 crashed the first incarnation and was dead-lettered.
    assert.equal(total, 1_100);
    assert.deepEqual(texts(world), ['crash-actor a/tally']);
    assert.deepEqual(checkInvariants(world), []);
  });

  it('crashes a crashable definition bound with withConfig, and child() keeps its binding', async () => {
    const world = new SimWorld(5, CALM);
    // Typed as a definition of any config: withConfig's type does not yet say its config is bound.
    const bound: ActorDefinition<typeof Note> = withConfig(tally, { start: 1_000 });
    const total = await runTally(world, () => child('tally', world.crashable(bound)), crashAt20);
    assert.equal(total, 1_100);
    assert.deepEqual(texts(world), ['crash-actor a/tally']);
  });

  it('fails the run when the actor at the address is not crashable', async () => {
    const world = new SimWorld(5, CALM);
    const total = await runTally(world, () => child('tally', tally, { config: { start: 0 } }), crashAt20);
    assert.equal(total, 111, 'nothing crashed');
    assert.deepEqual(world.unappliedFaults.map((error) => [error instanceof FaultNotAppliedError, error.code]), [[true, 'FAULT_NOT_APPLIED']]);
    assert.deepEqual(checkInvariants(world), [{
      invariant: 'faults-applied',
      detail: 'scheduled crash-actor of a/tally did not apply: the actor at a/tally is not crashable (mark its definition with world.crashable(...))',
      subjects: ['a/tally'],
    }]);
  });

  it('fails the run when no actor is at the address on the node named', async () => {
    const world = new SimWorld(5, CALM);
    await runTally(world, () => child('tally', world.crashable(tally), { config: { start: 0 } }), [{ at: 20, kind: 'crash-actor', node: 'a', address: 'a/tallies' }]);
    assert.deepEqual(checkInvariants(world).map((violation) => violation.detail), ['scheduled crash-actor of a/tallies did not apply: no actor at a/tallies on node a']);
  });

  it('fails the run when the actor handles no message after the crash was due', async () => {
    const world = new SimWorld(5, CALM);
    await runTally(world, () => child('tally', world.crashable(tally), { config: { start: 0 } }), [{ at: 60, kind: 'crash-actor', node: 'a', address: 'a/tally' }]);
    assert.deepEqual(checkInvariants(world).map((violation) => violation.detail), [
      'scheduled crash-actor of a/tally did not apply: it handled no message from 60 ms, when the crash was due, to the end of the run at 60 ms',
    ]);
  });
});

describe('sim: bounded-completion names what was still pending', () => {
  it('names the timers left (by node and the actor that set them) and the actors with messages waiting', async () => {
    const Tick = defineProtocol('tick', { tick: { body: z.object({}) }, noop: { body: z.object({}) }, stuck: { body: z.object({}) } });
    const ticker = defineActor({
      protocol: Tick,
      // A periodic timer, re-armed forever: the world never goes idle.
      setup: (ctx) => ({ tick: () => ctx.timers.startPeriodic('again', 1_000, 'noop', {}), noop: () => {}, stuck: () => new Promise<void>(() => {}) }),
    });
    const world = new SimWorld(5, { ...CALM, settleWithinMs: 5_000 });
    const node = world.addNode('a', (self) => void startTree(self.system, supervisor({ children: [child('ticker', ticker), child('stuck', ticker)] }), 'a'));
    world.at(10, () => void node.system.ref('a/ticker', Tick).tell('tick', {}));
    for (let i = 0; i < 3; i++) world.at(10, () => void node.system.ref('a/stuck', Tick).tell('stuck', {}));
    await world.run();
    assert.deepEqual(completedInBound(world).map((violation) => violation.detail), [
      'work still pending 5000 ms after the faults healed (at 100 ms): 3 messages unsettled; ' +
        'timers pending: a#1 a/ticker ×1 (next at 6010 ms); actors with messages waiting: a#1 a/stuck (2 waiting)',
    ]);
  });
});
