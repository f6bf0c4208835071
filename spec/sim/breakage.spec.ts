import assert from 'node:assert/strict';
import { main } from '../../bin/index.ts';
import { replayCommand, runScenario, sweepSeeds, type Breakage, type SeedResult } from '../../sim/index.ts';
import { pipelineDurable } from '../../sim/scenarios/pipeline.ts';

async function firstFailure(breakage: Breakage): Promise<SeedResult> {
  const results = await sweepSeeds(pipelineDurable, { seeds: 20, breakage, stopOnFailure: true });
  const failed = results.find((result) => !result.passed);
  assert.ok(failed, `${breakage} went unnoticed for 20 seeds`);
  return failed;
}

describe('sim: the invariants catch a broken transport', function () {
  this.timeout(60_000);

  it('acking before handling loses messages when an actor crashes: confirmed-not-lost fails', async () => {
    const failed = await firstFailure('ack-before-handle');
    const lost = failed.violations.find((violation) => violation.invariant === 'confirmed-not-lost');
    assert.ok(lost, failed.violations.map((violation) => violation.invariant).join(', '));
    const [id] = lost.subjects;
    // The tail shows the message confirmed and acked, yet never handled.
    assert.ok(failed.tail.some((line) => line.includes(`confirm ${id}`)));
    assert.ok(failed.tail.some((line) => line.includes(`acked ${id}`)));
    assert.ok(!failed.tail.some((line) => line.includes(`handled ${id}`)));
  });

  it('turning dedupe off lets duplicates through: handled-once fails', async () => {
    const failed = await firstFailure('no-dedupe');
    assert.ok(failed.violations.some((violation) => violation.invariant === 'handled-once'));
    assert.ok(failed.tail.some((line) => line.includes(' handled ')));
  });

  it('the same seed without the breakage passes', async () => {
    const failed = await firstFailure('no-dedupe');
    assert.equal((await runScenario(pipelineDurable, failed.seed)).passed, true);
  });

  it('the printed replay command reproduces the failure, hash for hash', async () => {
    const failed = await firstFailure('no-dedupe');
    const command = replayCommand(failed);
    assert.equal(command, `npx airlock sim --scenario pipeline-durable --seed ${failed.seed} --break no-dedupe`);
    // Run exactly as printed, through the command's own argument parsing.
    let output = '';
    const io = { out: { write: (text: string) => (output += text) }, err: { write: (text: string) => (output += text) }, env: {}, cwd: process.cwd() };
    assert.equal(await main(command.split(' ').slice(2), io), 1);
    assert.match(output, new RegExp(`^FAIL pipeline-durable seed=${failed.seed} hash=${failed.hash}`));
    assert.match(output, /violated handled-once/);
    assert.ok(output.includes(command));
  });
});
