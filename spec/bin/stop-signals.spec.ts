import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AIRLOCK, SPLIT_TOPOLOGY } from './airlock-process.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
// Real processes on a possibly busy 2-core machine: a node stops in well under a second, the
// deadlines are 30× that so load never fails the spec; only a node that never stops does.
const STOP_DEADLINE_MS = 30_000;

/** A spawned command's output lines, as they come. */
class Output {
  readonly out: string[] = [];
  readonly err: string[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    this.collect(child.stdout!, this.out);
    this.collect(child.stderr!, this.err);
    child.once('exit', () => this.wake());
  }

  async waitFor(line: string): Promise<void> {
    while (!this.out.includes(line)) {
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before '${line}': ${this.err.join('\n')}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  exited(): Promise<number | NodeJS.Signals> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal!)));
  }

  /** Resolves once every process holding the output pipes closed them (so every line is in). */
  async closed(): Promise<void> {
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      if (!stream.closed) await new Promise((resolve) => stream.once('close', resolve));
    }
  }

  private collect(stream: NodeJS.ReadableStream, lines: string[]): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      this.wake();
    });
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `pid` is gone; rejects after the deadline. Polled: a grandchild sends no exit event. */
async function gone(pid: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (alive(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} still runs ${deadlineMs} ms after its stop`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process descended from `pid` (Linux's /proc), e.g. the node npx started through `sh -c`. */
function descendants(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // It exited while we looked.
    }
  }
  const found: { pid: number; command: string }[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push({ pid: child, command: readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ') });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

describe('airlock run: stopping by signal', function () {
  this.timeout(4 * STOP_DEADLINE_MS);
  let cwd: string;
  const started: number[] = [];

  beforeEach(async () => (cwd = await mkdtemp(join(tmpdir(), 'airlock-signals-'))));
  afterEach(async () => {
    // A node the spec failed to stop must not outlive it.
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(cwd, { recursive: true, force: true });
  });

  function environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_ADMIN_DIR: join(cwd, 'admin') };
    delete env.AIRLOCK_CONTROL_KEY_FILE;
    return env;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`\`node bin/airlock.js run\`: ${signal} stops the node gracefully, exit 0, a line on stderr`, async () => {
      const node = new Output(spawn(process.execPath, [AIRLOCK, 'run', SPLIT_TOPOLOGY, '--node', 'edge'], { cwd, env: environment() }));
      started.push(node.child.pid!);
      await node.waitFor('airlock: ready');
      node.child.kill(signal);
      assert.equal(await node.exited(), 0, node.err.join('\n'));
      assert.deepEqual(node.err.filter((line) => line.startsWith('airlock:')), [`airlock: stopping (${signal})`]);
      assert.deepEqual(node.out.slice(-2), ['stopped       edge (shutdown)', 'airlock: stopped']);
      await gone(node.child.pid!, STOP_DEADLINE_MS);
    });
  }

  it('`npx airlock run … &`: SIGTERM to the npx pid stops the node too, none of its processes remain', async function () {
    if (process.platform !== 'linux') this.skip(); // finds npx's descendants in /proc
    const npx = new Output(spawn('npx', ['--offline', 'airlock', 'run', SPLIT_TOPOLOGY, '--node', 'edge'], { cwd: REPOSITORY, env: environment() }));
    started.push(npx.child.pid!);
    await npx.waitFor('airlock: ready');
    const tree = descendants(npx.child.pid!);
    const nodes = tree.filter(({ command }) => command.includes(' run ') && command.includes('split-topology.ts') && command.startsWith('node '));
    assert.equal(nodes.length, 1, tree.map(({ command }) => command).join('\n'));
    started.push(...tree.map(({ pid }) => pid));
    npx.child.kill('SIGTERM');
    await npx.exited();
    for (const { pid } of tree) await gone(pid, STOP_DEADLINE_MS);
    await npx.closed();
    // The node's stdout and stderr were npx's: what it printed while stopping arrived here.
    assert.deepEqual(npx.err.filter((line) => line.startsWith('airlock:')), ['airlock: stopping (SIGTERM to npx)']);
    assert.equal(npx.out.at(-1), 'airlock: stopped');
  });
});
