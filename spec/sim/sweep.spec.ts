import assert from 'node:assert/strict';
import { assertSeedsPass, runScenario } from '../../sim/index.ts';
import { scenarioNamed, scenarios } from '../../sim/scenarios/index.ts';

/** The CI sweep: every scenario, 200 seeds, every invariant checked on each. */
describe('sim: seed sweep', function () {
  this.timeout(120_000);
  for (const scenario of scenarios) {
    it(`${scenario.name}: 200 seeds keep every invariant`, async () => {
      const results = await assertSeedsPass(scenario, { seeds: 200 });
      assert.equal(results.length, 200);
      assert.ok(results.every((result) => result.passed && result.events > 0));
    });
  }

  it('split-broker: random keys and nonces leave the trace alone (same seed, same hash)', async () => {
    const [first, second] = [await runScenario(scenarioNamed('split-broker')!, 7), await runScenario(scenarioNamed('split-broker')!, 7)];
    assert.equal(first.hash, second.hash);
    assert.equal(first.events, second.events);
  });
});
