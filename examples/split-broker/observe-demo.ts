/**
 * `npm run demo:observe`: the split broker (edge, keyholder, core) as `airlock run` runs it, with
 * `airlock observe` on it, and HTTP rendezvous every half second so the figures move. Open the
 * address it prints; restart an actor from the page; Ctrl-C stops everything.
 * OBSERVER_PORT picks the observer's port (any free one otherwise).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPublicKeys, writeKeyDir } from '../../actors/split-broker/index.ts';
import { rendezvous, type BrokerPorts } from './loopback-clients.ts';

const AIRLOCK = fileURLToPath(new URL('../../bin/airlock.js', import.meta.url));
const TOPOLOGY = fileURLToPath(new URL('./topology.ts', import.meta.url));

const cwd = mkdtempSync(join(tmpdir(), 'airlock-observe-demo-'));
const keyDir = join(cwd, 'oracle');
writeKeyDir(keyDir);
const keys = readPublicKeys(keyDir);
const zone = 'broker.airlock.test';
const ports: BrokerPorts = { http: await freePort(), amp: await freePort(), dns: await freePort(), zone };

const env = {
  ...process.env,
  AIRLOCK_ADMIN_DIR: join(cwd, '.airlock'),
  SPLIT_BROKER_KEY_DIR: keyDir,
  SPLIT_BROKER_ZONE: zone,
  SPLIT_BROKER_HTTP_PORT: String(ports.http),
  SPLIT_BROKER_AMP_PORT: String(ports.amp),
  SPLIT_BROKER_DNS_PORT: String(ports.dns),
  SPLIT_BROKER_EDGE_OPS_PORT: '0',
  SPLIT_BROKER_KEYHOLDER_OPS_PORT: '0',
  SPLIT_BROKER_CORE_OPS_PORT: '0',
  SPLIT_BROKER_RATE_PER_SECOND: '1000',
};
const nodes = start(['run', TOPOLOGY], 'airlock: ready');
await nodes.ready;
const observer = start(['observe', '--port', process.env.OBSERVER_PORT ?? '0'], 'airlock: ready');
const url = (await observer.ready).find((line) => line.startsWith('airlock: observer on '))!.slice('airlock: observer on '.length);
console.log(`the split broker runs (edge, keyholder, core; admin sockets in ${env.AIRLOCK_ADMIN_DIR})`);
console.log(`open the observer: ${url}`);
console.log('a rendezvous over HTTP every 500 ms keeps the figures moving; Ctrl-C stops everything');

let round = 0;
const load = setInterval(() => void rendezvous('http', ports, keys, `demo-${++round}`).catch(() => {}), 500);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(load);
    void Promise.all([stop(observer.child), stop(nodes.child)]).then(() => {
      rmSync(cwd, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** An `airlock` command as a child process; `ready` resolves with its output lines once `line` was printed. */
function start(args: string[], line: string): { child: ChildProcess; ready: Promise<string[]> } {
  const child = spawn(process.execPath, [AIRLOCK, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const ready = new Promise<string[]>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n'));
      if (lines.includes(line)) resolve(lines);
    });
    child.once('exit', (code) => reject(new Error(`airlock ${args[0]} exited ${code}`)));
  });
  return { child, ready };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
