import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlsMaterial } from '../../internal.ts';

/** Debian's python, which python3-qpid-proton installs for (the pyenv `python3` on PATH has no proton). */
export const DEBIAN_PYTHON = process.env.AIRLOCK_PROTON_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../transports/amqp10/peers/proton_peer.py', import.meta.url));

/** Fails with what to do when Qpid Proton is missing: the interop specs must not pass by skipping. */
export function requireProton(): void {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import proton; print(".".join(map(str, proton.VERSION)))'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`Qpid Proton is missing for ${DEBIAN_PYTHON} (apt-get install python3-qpid-proton): ${probe.error?.message ?? probe.stderr.trim()}`);
}

/** The bytes, id and properties the peer script gives message `i` (its `body_of` and `properties_of`). */
export function protonMessage(i: number): { bytes: Buffer; messageId: string; properties: Record<string, string | number | boolean> } {
  const tail = Buffer.concat(Array.from({ length: 1 + Math.floor(i / 256) }, () => Buffer.from(Array.from({ length: i % 256 }, (_, b) => b))));
  return {
    bytes: Buffer.concat([Buffer.from(`message ${i} ✓`, 'utf8'), tail]),
    messageId: `proton-${i}`,
    properties: { index: i, name: 'proton ✓', even: i % 2 === 0, ratio: i + 0.5 },
  };
}

export interface ProtonRun {
  /** The JSON lines the peer printed so far. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first line that `matches`; rejects when the peer exits first. */
  line(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves when the peer exited 0; rejects with its stderr otherwise. */
  readonly exited: Promise<void>;
  kill(): void;
}

/** Runs the peer script (`send` or `receive`) with `tls` written to a temporary directory. */
export async function runProtonPeer(mode: 'send' | 'receive', options: { port: number; address: string; count: number; tls: TlsMaterial }): Promise<ProtonRun> {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-proton-'));
  const file = async (name: string, content: string | Buffer | undefined) => {
    const path = join(dir, name);
    await writeFile(path, content ?? '', { mode: 0o600 });
    return path;
  };
  const { key, cert, ca } = options.tls as { key: string; cert: string; ca: string };
  const args = [SCRIPT, mode, '--port', String(options.port), '--address', options.address, '--count', String(options.count)];
  args.push('--cert', await file('cert.pem', cert), '--key', await file('key.pem', key), '--ca', await file('ca.pem', ca));
  const child: ChildProcess = spawn(DEBIAN_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiting: { matches: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = JSON.parse(pending.slice(0, end)) as Record<string, unknown>;
      pending = pending.slice(end + 1);
      lines.push(line);
      for (const wait of waiting.filter((entry) => entry.matches(line))) (waiting.splice(waiting.indexOf(wait), 1), wait.resolve(line));
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      void rm(dir, { recursive: true, force: true });
      if (code === 0) resolve();
      else reject(new Error(`the proton peer exited ${code}: ${stderr.slice(-2_000)}`));
    });
  });
  return {
    lines,
    exited,
    line: (matches) => {
      const seen = lines.find(matches);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiting.push({ matches, resolve })),
        exited.then(() => Promise.reject(new Error(`the proton peer exited without the line; it printed ${JSON.stringify(lines).slice(0, 500)}`))),
      ]);
    },
    kill: () => void child.kill(),
  };
}
