import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { airlock, AIRLOCK, RunningNode } from '../bin/airlock-process.ts';

const TOPOLOGY = fileURLToPath(new URL('./fixtures/observed-topology.ts', import.meta.url));

/** `airlock observe` as a process: its usage errors, and both ways of serving, over admin sockets. */
describe('airlock observe (the command)', function () {
  /** Two node processes and two observers start here; 30 s is room for a busy machine. */
  this.timeout(30_000);
  let cwd: string;
  let node: RunningNode;
  const observers: ChildProcess[] = [];

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'airlock-observe-cmd-'));
    node = await RunningNode.start(cwd, TOPOLOGY);
  });

  after(async () => {
    for (const observer of observers) {
      if (observer.exitCode !== null) continue;
      observer.kill('SIGTERM');
      await new Promise((resolve) => observer.once('exit', resolve));
    }
    await node?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  /** Starts `airlock observe` with `args`; resolves with what it printed up to `airlock: ready`. */
  function observe(...args: string[]): Promise<string[]> {
    const child = spawn(process.execPath, [AIRLOCK, 'observe', ...args], { cwd, env: { ...process.env, AIRLOCK_ADMIN_DIR: '', AIRLOCK_CONTROL_KEY_FILE: '' } });
    observers.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('airlock: ready\n')) resolve(out.trimEnd().split('\n'));
      });
      child.once('exit', (code) => reject(new Error(`airlock observe exited ${code}`)));
    });
  }

  const usage: [string[], string][] = [
    [['--amqp', 'amqp://127.0.0.1', '--node', ','], 'airlock: BAD_USAGE: --node needs at least one name (without it, every node of the namespace is watched)'],
    [['--amqp', 'amqp://127.0.0.1', '--node', 'edge', '--socket', '.airlock'], 'airlock: BAD_USAGE: observe takes --amqp or --socket, not both'],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 on ${args.join(' ')}`, async () => {
      const result = await airlock(cwd, 'observe', ...args);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.split('\n')[0], message);
    });
  }

  it('serves every node with an admin socket here, on loopback, without a token', async () => {
    const lines = await observe();
    const url = lines.find((line) => line.startsWith('airlock: observer on '))!.slice('airlock: observer on '.length);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<li class="node up" data-node="core">core <small>in-process<\/small><\/li><li class="node up" data-node="edge">/);
  });

  it('with --listen, needs the token it printed once on every request', async () => {
    // 127.0.0.2 is loopback to the kernel, but not the observer's default: it serves as if reachable.
    const lines = await observe('--listen', '127.0.0.2', '--socket', join(cwd, '.airlock', 'edge.sock'));
    const url = new URL(lines.find((line) => line.startsWith('airlock: observer on '))!.slice('airlock: observer on '.length));
    const token = url.searchParams.get('token');
    assert.match(token ?? '', /^[\w-]{32}$/);
    assert.ok(lines.includes('airlock: the token in this address is needed for every request; it is printed only now'));
    const bare = new URL(url);
    bare.search = '';
    for (const path of ['/', '/events', '/observer.js']) {
      const answer = await fetch(new URL(path, bare));
      assert.equal(answer.status, 403, path);
      assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'OBSERVER_UNAUTHENTICATED');
    }
    const page = await fetch(new URL('/', bare), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /data-node="edge"/);
  });
});
