/**
 * How long an operator waits for `airlock <command>`: the wall time of the whole process, median
 * of 5 runs, beside `node -e ''` (starting node and doing nothing) as the floor. Commands ask a
 * running node of examples/supervised/topology.ts, once over its admin socket and once over
 * RabbitMQ (amqp://127.0.0.1, a namespace of the bench's own). Each is measured as an installed
 * airlock runs (the compiled dist/, built first) and from the checkout's source through tsx.
 * Goals on a quiet machine: --help < 150 ms, admin socket < 300 ms, RabbitMQ < 800 ms (built).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, median, type Benchmark, type Figure } from './figures.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const AIRLOCK = join(ROOT, 'bin/airlock.js');
const TOPOLOGY = join(ROOT, 'examples/supervised/topology.ts');
const AMQP = process.env.AIRLOCK_BENCH_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672';
const RUNS = 5;

/** Wall milliseconds of one process run to its end; a failing command fails the bench. */
function timeRun(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd, env }, (error, _out, stderr) => (error ? reject(new Error(`${args.join(' ')}: ${stderr}`)) : resolve(performance.now() - started))),
  );
}

async function medianRun(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeRun(args, cwd, env));
  return median(times);
}

/** `airlock run` in `cwd`, resolved once it printed `airlock: ready`. */
function startNode(cwd: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [AIRLOCK, 'run', TOPOLOGY, ...args], { cwd, env: { ...process.env, AIRLOCK_ADMIN_DIR: join(cwd, '.airlock') } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('airlock: ready\n')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`airlock run exited ${code}`)));
  });
}

function stopNode(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const bench: Benchmark = async () => {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const localDir = mkdtempSync(join(tmpdir(), 'airlock-bench-cli-'));
  const brokerDir = mkdtempSync(join(tmpdir(), 'airlock-bench-cli-'));
  const amqp = ['--amqp', AMQP, '--namespace', `bench-cli-${process.pid}`];
  const local = await startNode(localDir, ['--node', 'back']);
  const broker = await startNode(brokerDir, ['--node', 'back', ...amqp]);
  const figures: Figure[] = [];
  try {
    const floor = await medianRun(['-e', ''], ROOT, process.env);
    const commands: [string, string[], string][] = [
      ['--help', ['--help'], ROOT],
      ['status (admin socket)', ['status'], localDir],
      ['restart (admin socket)', ['restart', 'back/ledger'], localDir],
      ['stop (admin socket)', ['stop', 'back/ledger'], localDir],
      ['start (admin socket)', ['start', 'back/ledger'], localDir],
      ['status (RabbitMQ)', ['status', '--node', 'back', ...amqp], brokerDir],
      ['restart (RabbitMQ)', ['restart', 'back/ledger', ...amqp], brokerDir],
      ['stop (RabbitMQ)', ['stop', 'back/ledger', ...amqp], brokerDir],
      ['start (RabbitMQ)', ['start', 'back/ledger', ...amqp], brokerDir],
    ];
    for (const [from, extra] of [['built', {}], ['source, tsx', { AIRLOCK_FROM_SOURCE: '1' }]] as const) {
      for (const [name, args, cwd] of commands) {
        const env = { ...process.env, ...extra, AIRLOCK_ADMIN_DIR: join(cwd, '.airlock') };
        const value = name.startsWith('stop') || name.startsWith('start') ? await stopStartRun(args, cwd, env, name.startsWith('stop')) : await medianRun([AIRLOCK, ...args], cwd, env);
        figures.push(figure(`airlock ${name} (${from})`, value, 'ms', "node -e ''", floor, false));
      }
    }
  } finally {
    await stopNode(local);
    await stopNode(broker);
    rmSync(localDir, { recursive: true, force: true });
    rmSync(brokerDir, { recursive: true, force: true });
  }
  return figures;
};

/** Times `stop` (or `start`), with the opposite command run untimed between, so each finds the child in the state it acts on. */
async function stopStartRun(args: string[], cwd: string, env: NodeJS.ProcessEnv, isStop: boolean): Promise<number> {
  const opposite = [isStop ? 'start' : 'stop', ...args.slice(1)];
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (!isStop) await timeRun([AIRLOCK, ...opposite], cwd, env);
    times.push(await timeRun([AIRLOCK, ...args], cwd, env));
    if (isStop) await timeRun([AIRLOCK, ...opposite], cwd, env);
  }
  return median(times);
}

export default bench;
