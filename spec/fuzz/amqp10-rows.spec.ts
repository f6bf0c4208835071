import assert from 'node:assert/strict';
import { fuzzTarget } from '../../fuzz/harness.ts';
import { describeFailures, violations } from '../../fuzz/report.ts';
import { amqp10ConnectTarget } from '../../fuzz/targets/amqp10-connect.ts';
import { amqp10ListenTarget } from '../../fuzz/targets/amqp10-listen.ts';

/** The seeded slice CI runs of the AMQP 1.0 rows (`npm run fuzz -- --target amqp10Listen`): same seed, same units. */
const SEED = 8;
const UNITS = 300;

describe('fuzz: hostile AMQP 1.0 peers and servers (npm run fuzz)', function () {
  // 300 units take 2 to 7 s a row on a loaded 2-core machine.
  this.timeout(60_000);

  for (const target of [amqp10ListenTarget, amqp10ConnectTarget]) {
    it(`${target.decoder}: ${UNITS} seeded units crash nothing, block nothing past 1 s, every refusal is typed, and what is held stays within the row's bounds`, async () => {
      const report = await fuzzTarget(target, { seed: SEED, frames: UNITS });
      assert.equal(report.tried, UNITS);
      assert.deepEqual(violations(report), [], describeFailures([report]));
      assert.deepEqual(report.findings, {}, describeFailures([report]));
      assert.equal(report.extra.consoleLines ?? 0, 0, 'rhea printed to the console');
      assert.ok(report.accepted > 0 && Object.keys(report.refusedByCode).length > 0, JSON.stringify(report));
    });
  }
});
