/**
 * Leak or not (issue 18): the split broker as three `airlock run` processes over RabbitMQ, under
 * ROUNDS rounds of the rendezvous load (P/C, SECONDS each) against the same processes; after each
 * round, each process's RSS, and its heap after a forced GC (bench/broker/memory-hook.mjs).
 *   npx tsx bench/broker/rss-rounds.ts [rounds=6] [proxies=50] [clients=50] [seconds=3] [snapshots]
 * AIRLOCK_CPU_PROFILE=1 also writes each process's CPU profile of each round (memory-hook.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAirlockBrokerProcesses } from './airlock-broker.ts';
import { runRendezvousLoad } from './load.ts';

const [rounds = 6, proxies = 50, clients = 50, seconds = 3] = process.argv.slice(2, 6).map(Number);
const snapshots = process.argv[6] === 'snapshots';
const AMQP_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const dir = mkdtempSync(join(tmpdir(), 'airlock-rss-'));
const hook = fileURLToPath(new URL('./memory-hook.mjs', import.meta.url));
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --expose-gc --import ${hook}`.trim();
process.env.AIRLOCK_MEMORY_DIR = dir;
if (snapshots) process.env.AIRLOCK_MEMORY_SNAPSHOT = dir;

const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const cpuOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};

async function gcAndRead(pid: number, n: number): Promise<any> {
  process.kill(pid, 'SIGUSR2');
  const file = join(dir, `${pid}-${n}.json`);
  for (let waited = 0; waited < 120_000; waited += 50) {
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {}
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no memory report from ${pid}`);
}

/** RabbitMQ's own process (beam.smp), when this machine runs it: its CPU per rendezvous is part of the hop's cost. */
const rabbitPid = (() => {
  try {
    return Number(execFileSync('pgrep', ['-o', 'beam.smp'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
})();

const broker = await startAirlockBrokerProcesses(AMQP_URL);
const names = ['keyholder', 'core', 'edge'];
const pids = broker.pids!;
try {
  console.log(`pids ${names.map((name, i) => `${name} ${pids[i]}`).join(', ')}`);
  console.log(`round rdv/s completed latency | ${names.map((name) => `${name}: rss / rss-after-gc / heapUsed / external / cpu µs/rdv`).join(' | ')} | the three's and RabbitMQ's CPU per rendezvous`);
  for (let round = 1; round <= rounds; round++) {
    const cpuBefore = pids.map(cpuOf);
    const rabbitBefore = rabbitPid ? cpuOf(rabbitPid) : 0;
    const result = await runRendezvousLoad({ baseUrl: broker.baseUrl, proxies, clients, durationMs: seconds * 1000 });
    const cpu = pids.map((pid, i) => (cpuOf(pid) - cpuBefore[i]!) / result.completed);
    const rabbitCpu = rabbitPid ? ((cpuOf(rabbitPid) - rabbitBefore) / result.completed).toFixed(0) : '-';
    const total = cpu.reduce((sum, value) => sum + value, 0);
    const rss = pids.map(rssOf);
    const reports: any[] = [];
    for (const pid of pids) reports.push(await gcAndRead(pid, round));
    const cells = pids.map((_, i) => `${MiB(rss[i]!)} / ${MiB(reports[i].after.rss)} / ${MiB(reports[i].after.heapUsed)} / ${MiB(reports[i].after.external)} / ${cpu[i]!.toFixed(0)}`);
    const latency = `p50 ${result.p50Ms.toFixed(1)} p99 ${result.p99Ms.toFixed(1)} ms`;
    console.log(`${round} ${result.rendezvousPerSecond.toFixed(0)} ${result.completed} ${latency} | ${cells.join(' | ')} | three ${total.toFixed(0)} µs/rdv, rabbitmq ${rabbitCpu}`);
  }
  console.log(`reports in ${dir}`);
} finally {
  await broker.stop();
}
