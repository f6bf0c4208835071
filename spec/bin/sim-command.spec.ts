import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { airlock } from './airlock-process.ts';

const AIRLOCK_INDEX = pathToFileURL(fileURLToPath(new URL('../../index.ts', import.meta.url))).href;
const AIRLOCK_SIM = pathToFileURL(fileURLToPath(new URL('../../sim/index.ts', import.meta.url))).href;
const ZOD = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;

/**
 * A user's scenario, outside the project: orders to a shop over the simulated broker, with only
 * a drop rate given (the other fault rates left out, so 0). `strict` adds a check no run can pass.
 */
const SCENARIO_MODULE = `
import { z } from '${ZOD}';
import { child, defineActor, defineProtocol, supervisor } from '${AIRLOCK_INDEX}';
import { startTree } from '${AIRLOCK_SIM}';

const Orders = defineProtocol('user.orders', { place: { body: z.object({ id: z.number().int() }) } });
const booked = new WeakMap();

function scenario(name, check) {
  return {
    name,
    description: 'orders over a lossy simulated broker',
    world: { transport: 'durable', calmAt: 1_000, faults: { drop: 0.2 } },
    setup(world) {
      const seen = new Set();
      booked.set(world, seen);
      const shop = defineActor({ protocol: Orders, setup: () => ({ place: ({ id }) => void seen.add(id) }) });
      world.addNode('shop', (node) => startTree(node.system, supervisor({ children: [child('orders', shop)] }), 'shop'));
      const till = world.addNode('till', () => {});
      for (let id = 0; id < 20; id++) {
        world.at(world.random.int(800), () => void till.system.ref('shop/orders', Orders).tell('place', { id }).catch(() => {}));
      }
    },
    check,
  };
}

export default scenario('user-orders');
export const strict = scenario('user-orders-strict', () => [{ invariant: 'impossible', detail: 'asks for 21 of 20 orders', subjects: [] }]);
`;

describe('airlock sim', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-sim-'));
    file = join(dir, 'user-scenario.ts');
    // A user's project of its own, an ES module as airlock is.
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module' }));
    await writeFile(file, SCENARIO_MODULE);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--file runs the default export of a scenario module from any directory, seed for seed the same', async () => {
    const first = await airlock(dir, 'sim', '--file', 'user-scenario.ts', '--seeds', '3');
    assert.deepEqual([first.code, first.stderr], [0, '']);
    const lines = first.stdout.replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 5);
    lines.slice(0, 3).forEach((line, i) => assert.match(line, new RegExp(`^pass user-orders seed=${i + 1} hash=[0-9a-f]{16} events=\\d+ virtual=\\d+ms$`)));
    assert.match(lines[3], /^# user-orders: 3 seeds in \d+\.\d s$/);
    assert.equal(lines[4], '# 0 failed');
    const again = await airlock(dir, 'sim', '--file', 'user-scenario.ts', '--seed', '2');
    assert.equal(again.stdout, `${lines[1]}\n`);
  });

  it('fault rates left out are 0: only the drop rate of the scenario applies', async () => {
    const traced = await airlock(dir, 'sim', '--file', 'user-scenario.ts', '--seed', '1', '--trace');
    assert.equal(traced.code, 0, traced.stderr);
    const kinds = new Set(traced.stdout.split('\n').map((line) => line.split(' ')[2]));
    assert.ok(kinds.has('drop'), 'drop: 0.2 drops hops');
    assert.ok(!kinds.has('reorder'), 'reorder was left out, so never happens');
  });

  it('--export picks another scenario; a failure prints the command that replays it with --file', async () => {
    const result = await airlock(dir, 'sim', '--file', 'user-scenario.ts', '--export', 'strict', '--seed', '4');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL user-orders-strict seed=4 /);
    assert.ok(result.stdout.includes('  violated impossible: asks for 21 of 20 orders\n'));
    assert.ok(result.stdout.includes('  replay: npx airlock sim --file user-scenario.ts --export strict --seed 4\n'));
  });

  it('a module without that scenario is a usage error naming what it has', async () => {
    const result = await airlock(dir, 'sim', '--file', 'user-scenario.ts', '--export', 'nope', '--seed', '1');
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n')[0], "airlock: BAD_USAGE: user-scenario.ts has no scenario as its export 'nope'; its scenarios: default, strict (pick one with --export <name>)");
  });

  it('the shipped scenarios still run by name, as `npm run sim` does', async () => {
    const listed = await airlock(dir, 'sim', '--list');
    assert.deepEqual(listed, {
      code: 0,
      stdout: [
        'pipeline-durable     10 supervised actors on 2 nodes over the durable broker; drop, duplicate, reorder, actor/node/broker crashes',
        'pipeline-in-process  10 supervised actors on 2 nodes in process; actor crashes; in-order delivery per link',
        'ask-partition        client asks a supervised server across the broker; a partition cuts the client off, then heals',
        'broker-restart       orders to a supervised shop survive a broker crash and a partition',
        'split-broker         HTTP registrations through registrar, oracle and matcher on three nodes; links drop, zones are cut off, the registrar crashes',
        'dmz-float            peer → Float → BridgeManager → inbox, and QueueConsumer → peer; broker faults, partitions, DMZ host and BridgeManager crashes',
        'relay                B reaches C through the ciphertext relay, TLS end to end; partitions, a circuit and the listener crash',
        'rendezvous           initiators store sealed links, accepters fetch their buckets by hash; drops, a partition, a server crash, a failing and a dead store',
        '',
      ].join('\n'),
      stderr: '',
    });
    const result = await airlock(dir, 'sim', '--scenario', 'broker-restart', '--seed', '1');
    assert.match(result.stdout, /^pass broker-restart seed=1 hash=[0-9a-f]{16} /);
  });
});
