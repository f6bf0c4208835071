/**
 * The split broker the registrar rows attack, in this process: the three registrars (edge), the
 * Oracle with fresh keys (keyholder) and the Matcher (core), real actors on free loopback ports.
 * Two settings differ from production, each so the fuzz reaches the decoders instead of a limit
 * it is not testing: the per-source rate is lifted (every frame comes from 127.0.0.1), and the
 * Matcher's waits are short (a valid proxy poll is answered "no match" in 50 ms, not 10 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, defineTopology, run, supervisor, type RunningTopology } from '../internal.ts';
import {
  ampRegistrarActor,
  dnsRegistrarActor,
  httpRegistrarActor,
  matcherActor,
  MAX_REGISTRATION_BYTES,
  oracleActor,
  RegistrarProtocol,
  writeKeyDir,
} from '../actors/split-broker/index.ts';
import type { HttpEdge } from './http-row.ts';

export const ZONE = 'broker.airlock.test';
/** Far above what one attacker sends: the token bucket is another row's subject, not this one's. */
const UNLIMITED_RATE = { burst: 1e9, perSecond: 1e9 };
/** The Matcher's waits: long enough to be real waits, short enough for 100,000 frames. */
const MATCHER_WAIT_MS = 50;
/** The registrars' body limit, as production's: the buffering bound of the HTTP rows is derived from it. */
export const MAX_BODY_BYTES = MAX_REGISTRATION_BYTES;

export interface SplitBroker {
  running: RunningTopology;
  ports: { http: number; amp: number; dns: number };
  stop(): Promise<void>;
}

export async function startSplitBroker(onCrash: (address: string, error: unknown) => void): Promise<SplitBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-fuzz-sb-'));
  const keyDir = join(dir, 'oracle');
  writeKeyDir(keyDir);
  const registrar = { port: 0, rate: UNLIMITED_RATE, maxBodyBytes: MAX_BODY_BYTES };
  const topology = defineTopology('fuzz-split-broker', {
    edge: supervisor({
      strategy: 'one_for_one',
      // Restarts without limit: a tree that gave up would hide every later crash from the count.
      intensity: { maxRestarts: Number.MAX_SAFE_INTEGER, withinMs: 1_000 },
      children: [
        child('http', httpRegistrarActor, { config: registrar }),
        child('amp', ampRegistrarActor, { config: registrar }),
        child('dns', dnsRegistrarActor, { config: { ...registrar, zone: ZONE } }),
      ],
    }),
    keyholder: supervisor({ children: [child('oracle', oracleActor, { config: { keyDir } })] }),
    core: supervisor({ children: [child('matcher', matcherActor, { config: { proxyTimeoutMs: MATCHER_WAIT_MS, clientTimeoutMs: MATCHER_WAIT_MS } })] }),
  });
  const running = run(topology);
  running.system.on('failed').subscribe((event) => onCrash(event.address, event.error));
  const where = async (address: string) => (await running.ref(address, RegistrarProtocol).ask('where', {})).port;
  return {
    running,
    ports: { http: await where('edge/http'), amp: await where('edge/amp'), dns: await where('edge/dns') },
    async stop() {
      await running.stop({ drainTimeoutMs: 0 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One registrar of a split broker started for the row, as `httpRow` takes it. */
export function splitBrokerEdge(edge: 'http' | 'amp'): HttpEdge {
  return async (onCrash) => {
    const broker = await startSplitBroker(onCrash);
    return { port: broker.ports[edge], stop: () => broker.stop() };
  };
}
