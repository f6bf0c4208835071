import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTopology, run, type RunningTopology, type RunOptions } from '../../../index.ts';
import { readPublicKeys, RegistrarProtocol, splitBrokerNodes, writeKeyDir, type OraclePublicKeys, type SplitBrokerOptions } from '../../../actors/split-broker/index.ts';
import { OpsProtocol } from '../../../actors/ops/index.ts';
import type { BrokerPorts } from './loopback.ts';

export const ZONE = 'broker.airlock.test';
const ALL_FREE = { http: 0, amp: 0, dns: 0, edgeOps: 0, keyholderOps: 0, coreOps: 0 };

export interface Broker {
  running: RunningTopology;
  ports: BrokerPorts;
  keys: OraclePublicKeys;
  keyDir: string;
  metrics(node: 'edge' | 'keyholder' | 'core'): Promise<string>;
  stop(): Promise<void>;
}

/** The split broker topology in this process, every listener on a free loopback port, fresh keys. */
export async function startBroker(options: Partial<SplitBrokerOptions> = {}, runOptions: RunOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-sb-'));
  const keyDir = join(dir, 'oracle');
  writeKeyDir(keyDir);
  const running = run(defineTopology('split-broker', splitBrokerNodes({ keyDir, zone: ZONE, rate: { burst: 10_000, perSecond: 10_000 }, ...options, ports: { ...ALL_FREE, ...options.ports } })), runOptions);
  const where = (address: string) => running.ref(address, RegistrarProtocol).ask('where', {});
  const ports = { http: (await where('edge/http')).port, amp: (await where('edge/amp')).port, dns: (await where('edge/dns')).port, zone: ZONE };
  return {
    running,
    ports,
    keys: readPublicKeys(keyDir),
    keyDir,
    async metrics(node) {
      const { port } = await running.ref(`${node}/ops`, OpsProtocol).ask('where', {});
      return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    },
    async stop() {
      await running.stop({ drainTimeoutMs: 0 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of one series in Prometheus text, 0 when absent. */
export function series(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}
