/**
 * A broker of the rendezvous figures in a process of its own, so that its CPU and peak RSS are
 * its own and not the load's: `bare` (bench/broker/bare-broker.ts) or `airlock` (the split
 * broker's three trees in one process, bench/broker/airlock-broker.ts). Forked with an IPC
 * channel; it sends `{ baseUrl }` once listening, answers `'usage'` with its `process.cpuUsage()`
 * (user + system, µs) and `process.resourceUsage().maxRSS` (KiB), and stops on `'stop'`.
 * `startBrokerProcess` is the parent's side.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProcessUsage {
  /** User + system CPU of the process(es) so far, µs. */
  cpuUs: number;
  /** Peak resident set so far, bytes (the largest process's, when several). */
  peakRssBytes: number;
  /** The peaks of all the processes summed, bytes (the same as `peakRssBytes` for one). */
  peakRssSumBytes?: number;
}

export interface BrokerProcess {
  baseUrl: string;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

export type BrokerKind = 'bare' | 'airlock';

/**
 * The same for processes this one did not fork (`airlock run --node …`), read from Linux's
 * /proc: utime + stime of each (clock ticks, 100 per second) summed, and the largest VmHWM.
 */
export function procUsage(pids: number[]): ProcessUsage {
  let ticks = 0;
  let peak = 0;
  let sum = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const bytes = Number(hwm?.[1] ?? 0) * 1024;
    peak = Math.max(peak, bytes);
    sum += bytes;
  }
  return { cpuUs: ticks * 10_000, peakRssBytes: peak, peakRssSumBytes: sum };
}

const HERE = fileURLToPath(import.meta.url);

export async function startBrokerProcess(kind: BrokerKind, options: { crashDns?: boolean } = {}): Promise<BrokerProcess> {
  const child = fork(HERE, [kind, JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<any>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the ${kind} broker process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => (child.off('exit', onExit), resolve(message)));
    });
  const { baseUrl } = (await next()) as { baseUrl: string };
  return {
    baseUrl,
    async usage() {
      const answer = next();
      child.send('usage');
      return (await answer) as ProcessUsage;
    },
    async stop() {
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      child.send('stop');
      await exited;
    },
  };
}

async function serve(kind: BrokerKind, options: { crashDns?: boolean }, send: (message: unknown) => void): Promise<void> {
  const broker =
    kind === 'bare'
      ? await (await import('./bare-broker.ts')).startBareBroker().then((b) => ({ baseUrl: b.baseUrl, stop: b.close }))
      : await (await import('./airlock-broker.ts')).startAirlockBroker(options);
  process.on('message', (message) => {
    if (message === 'usage') {
      const { user, system } = process.cpuUsage();
      send({ cpuUs: user + system, peakRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies ProcessUsage);
    } else if (message === 'stop') {
      void broker.stop().finally(() => process.exit(0));
    }
  });
  send({ baseUrl: broker.baseUrl });
}

if (process.argv[1] === HERE && process.send) {
  const send = process.send.bind(process);
  void serve(process.argv[2] as BrokerKind, JSON.parse(process.argv[3] ?? '{}'), (message) => send(message as any));
}
