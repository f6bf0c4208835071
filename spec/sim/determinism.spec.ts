import assert from 'node:assert/strict';
import { runScenario } from '../../sim/index.ts';
import { scenarios } from '../../sim/scenarios/index.ts';

describe('sim: one seed, one run', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: the same seed twice gives the identical trace`, async () => {
      const first = await runScenario(scenario, 42, { keepWorld: true });
      const second = await runScenario(scenario, 42, { keepWorld: true });
      assert.equal(second.hash, first.hash);
      assert.equal(second.traceLength, first.traceLength);
      assert.equal(second.events, first.events);
      assert.deepEqual(
        second.world!.trace.entries.slice(0, 200).map((entry) => entry.text),
        first.world!.trace.entries.slice(0, 200).map((entry) => entry.text),
      );
    });

    it(`${scenario.name}: different seeds give different traces`, async () => {
      const hashes = new Set<string>();
      for (let seed = 1; seed <= 10; seed++) hashes.add((await runScenario(scenario, seed)).hash);
      assert.equal(hashes.size, 10);
    });
  }
});
