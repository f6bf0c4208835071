import assert from 'node:assert/strict';
import { child, startTree, supervisor, type ActorSystem } from '../../internal.ts';
import { Counter, counter, settleMany, testSystem } from '../support/fixtures.ts';

/**
 * What `restarts` in status counts: starts after the child went down unasked (its own crash or
 * exit, a sibling's under one_for_all, its supervisor giving up) and an operator's `restart`.
 * A start after a stop meant to last (an operator's `stop`, a transient child's normal exit) is
 * no restart, as OTP counts none.
 */
describe("status 'restarts': what it counts", () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  const restartsOf = (address: string): number | undefined => system.status()[0].children?.find((status) => status.address === address)?.restarts;

  async function crash(address: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await system.ref(address, Counter).tell('crash', { reason: 'boom' });
      await settleMany();
    }
  }

  it("an operator's start after stop leaves the count of an actor as it was (3 stays 3)", async () => {
    const root = startTree(system, supervisor({ children: [child('w', counter)] }), 'sup');
    await crash('sup/w', 3);
    assert.equal(restartsOf('sup/w'), 3);
    await root.stopChild('w');
    root.startChild('w');
    assert.equal(restartsOf('sup/w'), 3);
    assert.equal(system.lookup('sup/w')?.running, true);
  });

  it("an operator's restart counts, as a crash does", async () => {
    const root = startTree(system, supervisor({ children: [child('w', counter)] }), 'sup');
    await crash('sup/w', 1);
    await root.restartChild('w');
    assert.equal(restartsOf('sup/w'), 2);
  });

  it('a transient child started again after its normal exit is not restarted, by the count either', async () => {
    const root = startTree(system, supervisor({ children: [child('w', counter, { restart: 'transient' })] }), 'sup');
    await system.ref('sup/w', Counter).tell('finish', {});
    await settleMany();
    root.startChild('w');
    assert.equal(restartsOf('sup/w'), 0);
  });

  it("a nested supervisor's start after stop leaves its count as it was", async () => {
    const inner = supervisor({ intensity: { maxRestarts: 0, withinMs: 1_000 }, children: [child('w', counter)] });
    const root = startTree(system, supervisor({ children: [child('inner', inner)] }), 'sup');
    await crash('sup/inner/w', 1); // inner gives up at once; its permanent spec brings it back
    assert.equal(restartsOf('sup/inner'), 1);
    await root.stopChild('inner');
    root.startChild('inner');
    assert.equal(restartsOf('sup/inner'), 1);
    assert.equal(root.childById('inner')?.running, true);
  });
});
