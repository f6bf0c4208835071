import assert from 'node:assert/strict';
import { fuzzTarget } from '../../fuzz/harness.ts';
import { describeFailures, violations, type DecoderReport } from '../../fuzz/report.ts';
import { adminFramesTarget } from '../../fuzz/targets/admin-frames.ts';
import { ampRegistrarTarget } from '../../fuzz/targets/amp-registrar.ts';
import { deliverFrameTarget } from '../../fuzz/targets/deliver-frame.ts';
import { dnsRegistrarTarget } from '../../fuzz/targets/dns-registrar.ts';
import { httpRegistrarTarget } from '../../fuzz/targets/http-registrar.ts';
import { rabbitMailboxTarget } from '../../fuzz/targets/rabbit-mailbox.ts';
import { rendezvousEndpointTarget } from '../../fuzz/targets/rendezvous-endpoint.ts';

/** The seeded slice CI runs of `npm run fuzz` (100,000 frames per decoder): same seed, same frames. */
const SEED = 8;

/** Each decoder's report holds: every frame accounted for, nothing crashed, every refusal typed. */
function assertHolds(report: DecoderReport, frames: number): void {
  assert.equal(report.tried, frames);
  assert.equal(report.extra.unsettled ?? 0, 0, `the run never settled\n${describeFailures([report])}`);
  // Crashes, untyped errors, unreadable answers, RSS growth and bytes held past the row's bounds.
  assert.deepEqual(violations(report), [], describeFailures([report]));
  const refused = Object.values(report.refusedByCode).reduce((sum, count) => sum + count, 0);
  assert.ok(report.accepted > 0 && refused > 0, `a slice must both deliver and refuse frames: ${JSON.stringify(report)}`);
}

describe('fuzz: hostile frames through every decoder (npm run fuzz)', function () {
  this.timeout(60_000);

  it('deliverFrame: 10,000 seeded frames crash no actor and no process, and every refusal is typed', async () => {
    const report = await fuzzTarget(deliverFrameTarget, { seed: SEED, frames: 10_000 });
    assertHolds(report, 10_000);
  });

  it('the RabbitMQ mailbox (real broker): 2,000 seeded frames crash nothing, and every dead letter has a typed reason', async () => {
    const report = await fuzzTarget(rabbitMailboxTarget, { seed: SEED, frames: 2_000 });
    assertHolds(report, 2_000);
  });

  it('the admin socket (real owner-only socket): 1,000 seeded frames crash nothing, and every refusal is typed', async () => {
    const report = await fuzzTarget(adminFramesTarget, { seed: SEED, frames: 1_000 });
    assertHolds(report, 1_000);
  });

  it('the HTTP registrar (real sockets): 1,000 seeded requests crash nothing, every answer is a typed status, memory stays bounded', async () => {
    const report = await fuzzTarget(httpRegistrarTarget, { seed: SEED, frames: 1_000 });
    assertHolds(report, 1_000);
  });

  it('the AMP registrar (real sockets): 1,000 seeded requests crash nothing, every answer is a typed status, memory stays bounded', async () => {
    const report = await fuzzTarget(ampRegistrarTarget, { seed: SEED, frames: 1_000 });
    assertHolds(report, 1_000);
  });

  it('the rendezvous endpoint (real sockets): 1,000 seeded requests crash nothing, every answer is a typed status, memory stays bounded', async () => {
    const report = await fuzzTarget(rendezvousEndpointTarget, { seed: SEED, frames: 1_000 });
    assertHolds(report, 1_000);
  });

  it('the DNS registrar (real UDP): 5,000 seeded datagrams crash nothing, every reply is owed and well-formed, memory stays bounded', async () => {
    const report = await fuzzTarget(dnsRegistrarTarget, { seed: SEED, frames: 5_000 });
    assertHolds(report, 5_000);
  });
});
