import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';
import { importsOf } from './recorded-imports.ts';

/**
 * What a command over the admin socket loads, pinned (issue 17: an operator's command answers in
 * a few hundred milliseconds): the control plane's client (msgpackr for frames, zod for the
 * replies) and nothing of the actor system, the supervisors, the transports or the broker client.
 */
const HEAVY = /node_modules\/(amqplib|rhea|xstate|rxjs|pino)\/|\/(supervisors|transports|actors|sim)\/|\/lib\/(index|system|actor|cell)\.[jt]s$|\/node\/(index|run)\.[jt]s$/;

describe('airlock command: what a command over the admin socket loads', function () {
  // Real processes (tsx start-up) on a busy 2-core machine: a few seconds each at worst.
  this.timeout(60_000);
  let cwd: string;
  let node: RunningNode;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'airlock-imports-'));
    node = await RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'core');
  });

  after(async () => {
    await node?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  // The compiled dist/ when a fresh build is there (see bin/airlock.js), and the source through tsx.
  for (const [from, env] of [['as bin/airlock.js picks', {}], ['from source', { AIRLOCK_FROM_SOURCE: '1' }]] as const) {
    for (const args of [['status'], ['restart', 'core/ledger']]) {
      it(`airlock ${args.join(' ')} (${from}) loads neither xstate, rxjs, amqplib nor the actor system`, async () => {
        const loaded = await importsOf(cwd, env, ...args);
        assert.ok(loaded.some((url) => /\/node\/control-plane\/admin-client\.[jt]s$/.test(url)), 'the recorder saw the admin socket client');
        assert.deepEqual(loaded.filter((url) => HEAVY.test(url)), []);
      });
    }
  }
});
