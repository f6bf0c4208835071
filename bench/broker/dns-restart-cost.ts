/**
 * What one restart of the DNS registrar costs (issue 18, goal 3): the split broker's three trees in
 * this process (one_for_one over the registrars, as `splitBrokerNodes` builds them), edge/dns
 * restarted N times in a row, each restart awaited until its UDP and TCP sockets listen again.
 * Beside it, the same count of restarts of edge/ops (an HTTP listener and nothing else) and of a
 * bare actor with no resources, in the same run: what the registrar's own setup adds.
 *   npx tsx bench/broker/dns-restart-cost.ts [restarts=200] [crash]
 * `crash` has the registrar crash instead (a throw before each message it handles, as the
 * isolation figure's fault does): the supervisor's own restart path, with its log line and event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, run, supervisor } from '../../index.ts';
import { RegistrarProtocol, splitBrokerNodes, writeKeyDir } from '../../actors/split-broker/index.ts';

const restarts = Number(process.argv[2] ?? 200);
const crash = process.argv[3] === 'crash';
const root = mkdtempSync(join(tmpdir(), 'airlock-dns-restart-'));
const keyDir = join(root, 'oracle');
writeKeyDir(keyDir);

const Idle = defineProtocol('idle', { ping: { body: z.object({}), reply: z.object({}) } });
const idle = defineActor({ protocol: Idle, setup: () => ({ ping: () => ({}) }) });
const FREE = { http: 0, amp: 0, dns: 0, edgeOps: 0, keyholderOps: 0, coreOps: 0 };
const nodes = splitBrokerNodes({ keyDir, ports: FREE });
// Room for every restart of the run within the edge supervisor's intensity (the figure is a restart's cost, not the budget).
const edge = { ...nodes.edge, tree: supervisor({ ...nodes.edge.tree, intensity: { maxRestarts: 10 * restarts, withinMs: 1_000 }, backoff: { minMs: 0, maxMs: 0 } }) };
const bare = supervisor({ intensity: { maxRestarts: 10 * restarts, withinMs: 1_000 }, backoff: { minMs: 0, maxMs: 0 }, children: [child('idle', idle)] });
const running = run(defineTopology('dns-restart-cost', { edge, keyholder: nodes.keyholder, core: nodes.core, bare }), {
  // As the isolation figure's fault: every message edge/dns handles crashes it (so `crash` waits for `restarted`, not an answer).
  beforeHandle: (address) => {
    if (crash && address === 'edge/dns') throw new Error('injected fault: the DNS registrar crashes');
  },
});
const restartedOnce = (address: string) =>
  new Promise<void>((resolve) => {
    const subscription = running.system.on('restarted').subscribe((event) => {
      if (event.address !== address) return;
      subscription.unsubscribe();
      resolve();
    });
  });

/** CPU µs and wall µs per restart of `address`, each awaited until the actor answers again. */
async function measure(address: string, byCrash: boolean): Promise<{ cpuUs: number; wallUs: number }> {
  const ref = running.ref(address, address === 'bare/idle' ? (Idle as never) : RegistrarProtocol);
  const ready = () => (address === 'bare/idle' ? ref.ask('ping' as never, {} as never) : ref.ask('where', {}));
  if (!byCrash) await ready();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let n = 0; n < restarts; n++) {
    if (byCrash) {
      // The next message waits for the restarted incarnation's setup (its sockets bound), then crashes it again.
      const restarted = restartedOnce(address);
      void ref.tell('where' as never, {} as never).catch(() => {});
      await restarted;
    } else {
      await running.restart(address);
      await ready();
    }
  }
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / restarts, wallUs: ((performance.now() - started) * 1000) / restarts };
}

try {
  const rows: [string, { cpuUs: number; wallUs: number }][] = [];
  for (let round = 0; round < 2; round++) {
    // The first round warms the code up; the second is reported.
    rows.length = 0;
    rows.push(['bare/idle (no resources)', await measure('bare/idle', false)]);
    rows.push(['edge/ops (one HTTP listener)', await measure('edge/ops', false)]);
    rows.push([`edge/dns${crash ? ', crashing' : ''}`, await measure('edge/dns', crash)]);
  }
  console.log(`${restarts} restarts each (${crash ? 'the registrar by a crash, the others by restart()' : 'by restart(), as an operator'}), awaited until the actor answers again:`);
  for (const [label, { cpuUs, wallUs }] of rows) console.log(`  ${label.padEnd(34)} ${cpuUs.toFixed(0).padStart(6)} µs CPU, ${wallUs.toFixed(0).padStart(6)} µs wall per restart`);
} finally {
  await running.stop({ drainTimeoutMs: 0 });
  rmSync(root, { recursive: true, force: true });
}
