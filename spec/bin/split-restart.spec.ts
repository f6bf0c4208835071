import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { airlock, RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';

const READY = 'airlock: ready';
/** The node's own shutdown begins with its control actor (the last started); `airlock: stopping` is on stderr. */
const shutdownOf = (node: string) => `stopped       ${node}/$control (shutdown)`;
const ACTORS = ['edge/http', 'edge/smtp', 'edge/bridges/in', 'edge/bridges/out', 'core/matcher', 'core/ledger'];

interface Wiring {
  transport: string;
  /** Extra arguments of every command: none (admin sockets), or `--amqp URL --namespace NS`. */
  args: () => string[];
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

/**
 * One topology split across two real processes, one node each (`--node edge`, `--node core`).
 * `airlock restart <address>` must restart that actor, and whatever its supervisor's strategy
 * names, in the process hosting it, and nothing else anywhere: the event logs of both
 * processes are compared line by line.
 */
function splitRestart(wiring: Wiring): void {
  describe(`airlock restart on a topology split across processes (${wiring.transport})`, function () {
    this.timeout(40_000);
    let cwd: string;
    let edge: RunningNode;
    let core: RunningNode;
    const cli = (...args: string[]) => airlock(cwd, ...args, ...wiring.args());

    before(async () => {
      await wiring.before?.();
      cwd = await mkdtemp(join(tmpdir(), 'airlock-split-'));
      [edge, core] = await Promise.all([
        RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'edge', ...wiring.args()),
        RunningNode.start(cwd, SPLIT_TOPOLOGY, '--node', 'core', ...wiring.args()),
      ]);
    });

    after(async () => {
      await Promise.all([edge?.stop(), core?.stop()]);
      await rm(cwd, { recursive: true, force: true });
      await wiring.after?.();
    });

    it('runs one node per process', () => {
      assert.equal(edge.lines.at(-3), `airlock: running node edge of topology split on ${wiring.transport}`);
      assert.equal(core.lines.at(-3), `airlock: running node core of topology split on ${wiring.transport}`);
      assert.ok(!edge.lines.some((line) => line.includes(' core')), 'edge hosts nothing of core');
      assert.ok(!core.lines.some((line) => line.includes(' edge')), 'core hosts nothing of edge');
    });

    it('status without --node shows both processes\' nodes (admin sockets here, or the roll call on the broker)', async () => {
      // --timeout is also the roll call's window over the broker: generous, as a busy machine delays answers.
      const status = await cli('status', '--json', '--timeout', '5000');
      assert.equal(status.code, 0, status.stderr);
      assert.deepEqual((JSON.parse(status.stdout) as { node: string }[]).map(({ node }) => node), ['core', 'edge']);
    });

    it('restarts exactly the named actor and leaves every other lifecycle untouched', async () => {
      assert.deepEqual(await cli('restart', 'edge/http'), {
        code: 0,
        stdout: 'restarted edge/http: running, restarts 1, mailbox 0\n',
        stderr: '',
      });
      assert.deepEqual(await cli('restart', 'core/matcher'), {
        code: 0,
        stdout: 'restarted core/matcher: running, restarts 1, mailbox 0\n',
        stderr: '',
      });
      const statuses = await Promise.all([cli('status', '--node', 'core'), cli('status', '--node', 'edge')]);
      assert.deepEqual(statuses.map((status) => status.code), [0, 0]);
      assert.deepEqual(restartCounts(statuses.map((status) => status.stdout).join('\n')), {
        core: 0,
        'core/matcher': 1,
        'core/ledger': 1, // rest_for_one: the ledger started after the matcher comes back with it
        edge: 0,
        'edge/http': 1,
        'edge/smtp': 0,
        'edge/bridges': 0,
        'edge/bridges/in': 0,
        'edge/bridges/out': 0,
      });

      assert.deepEqual(await Promise.all([edge.stop(), core.stop()]), [0, 0]);
      assert.deepEqual(edge.between(READY, shutdownOf('edge')), [
        'stopped       edge/http (shutdown)',
        'started       edge/http',
        'restarted     edge/http (restart #1)',
      ]);
      // As after a crash of the matcher: it goes down first, then rest_for_one takes the ledger too.
      assert.deepEqual(core.between(READY, shutdownOf('core')), [
        'stopped       core/matcher (shutdown)',
        'stopped       core/ledger (shutdown)',
        'started       core/matcher',
        'restarted     core/matcher (restart #1)',
        'started       core/ledger',
        'restarted     core/ledger (restart #1)',
      ]);
    });
  });
}

splitRestart({ transport: 'in-process', args: () => [] });

const namespace = uniqueNamespace('cli');
splitRestart({
  transport: 'rabbitmq',
  args: () => ['--amqp', BROKER_URL, '--namespace', namespace],
  before: requireBroker,
  after: () => cleanup(namespace, [...ACTORS, 'edge/$control', 'core/$control']),
});

/** Address → restarts, read from `airlock status` tables. */
function restartCounts(table: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of table.split('\n')) {
    const match = /^[│├└─ ]*([a-z][\w/]*)\s+(?:actor|supervisor \w+)\s+\w+\s+(\d+)/.exec(line);
    if (match) counts[match[1]] = Number(match[2]);
  }
  return counts;
}
