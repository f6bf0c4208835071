import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { airlock, RunningNode } from './airlock-process.ts';

const CRASH_LOOP = fileURLToPath(new URL('./fixtures/crash-loop-topology.ts', import.meta.url));
const GAVE_UP = 'airlock: node loop gave up: INTENSITY_EXCEEDED: supervisor loop exceeded 2 restarts in 60000 ms';
const lines = (text: string) => text.replace(/\n$/, '').split('\n');

describe('airlock run: a root tree that gives up stops its node (OTP)', function () {
  this.timeout(30_000);
  let cwd: string;
  beforeEach(async () => (cwd = await mkdtemp(join(tmpdir(), 'airlock-root-'))));
  afterEach(() => rm(cwd, { recursive: true, force: true }));

  it('exits 1 with the reason logged, after stopping gracefully, so the process supervisor restarts it', async () => {
    const result = await airlock(cwd, 'run', CRASH_LOOP);
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stderr), [GAVE_UP, 'airlock: stopping (node loop gave up)']);
    const out = lines(result.stdout);
    const gaveUp = out.indexOf('failed        loop: supervisor loop exceeded 2 restarts in 60000 ms');
    // Under load the tree may give up before the start-up lines are printed: they are not the point here.
    const startup = /^airlock: (running|admin socket|ready)/;
    assert.deepEqual(out.slice(gaveUp).filter((line) => !startup.test(line)), [
      'failed        loop: supervisor loop exceeded 2 restarts in 60000 ms',
      'stopped       loop (shutdown: INTENSITY_EXCEEDED)',
      'stopped       loop/$control (shutdown)',
      'airlock: stopped',
    ]);
  });

  it('with --keep-running stays up with the tree down, and `airlock restart <node>` revives it', async () => {
    const node = await RunningNode.start(cwd, CRASH_LOOP, '--keep-running');
    try {
      await node.waitFor('stopped       loop (shutdown: INTENSITY_EXCEEDED)');
      const down = await airlock(cwd, 'status', 'loop', '--json');
      assert.deepEqual(JSON.parse(down.stdout)[0].tree[0].state, 'failed');
      assert.deepEqual(await airlock(cwd, 'restart', 'loop'), { code: 0, stdout: 'restarted loop: running, restarts 1\n', stderr: '' });
      const up = JSON.parse((await airlock(cwd, 'status', '--json')).stdout)[0].tree[0];
      assert.deepEqual([up.state, up.restarts], ['running', 1]);
      // The worker is a fresh incarnation that stays up: the crash loop was the tree's end, not the revived one's.
      // Its 2 restarts are the crash loop's; starting it again with its revived tree is no restart (as an operator's start).
      assert.deepEqual([up.children[0].address, up.children[0].state, up.children[0].restarts, up.children[0].failed], ['loop/worker', 'running', 2, 3]);
      assert.deepEqual(node.stderr.filter((line) => line !== ''), [GAVE_UP]);
    } finally {
      assert.equal(await node.stop(), 0);
    }
  });
});
