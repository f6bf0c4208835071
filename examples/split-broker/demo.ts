/**
 * `npm run demo`: the split broker in one process. Fresh Oracle keys in a temporary directory,
 * the three nodes (edge, keyholder, core) on the in-process transport, simulated proxies and
 * clients on loopback over HTTP, AMP and DNS; then the DNS registrar crash-loops on purpose while
 * HTTP and AMP rendezvous go on, and the nodes' /metrics are summed up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../index.ts';
import { OpsProtocol, readPublicKeys, RegistrarProtocol, writeKeyDir } from '../../actors/split-broker/index.ts';
import { rendezvous, type BrokerPorts, type Method } from './loopback-clients.ts';
import { splitBroker } from './topology.ts';

const keyDir = join(mkdtempSync(join(tmpdir(), 'airlock-demo-')), 'oracle');
writeKeyDir(keyDir);
const keys = readPublicKeys(keyDir);
const zone = 'broker.airlock.test';

let crashDns = false;
const running = run(splitBroker({ keyDir, zone, rate: { burst: 1_000, perSecond: 1_000 }, ports: { http: 0, amp: 0, dns: 0, edgeOps: 0, keyholderOps: 0, coreOps: 0 } }), {
  // The fault: while on, every message the DNS registrar handles crashes it.
  beforeHandle: (address) => {
    if (crashDns && address === 'edge/dns') throw new Error('injected fault: the DNS registrar crashes');
  },
});
const t0 = Date.now();
const log = (line: string) => console.log(`+${String(Date.now() - t0).padStart(4)} ms  ${line}`);
running.system.on('restarted').subscribe((event) => log(`restarted edge/dns (restart #${event.restarts}); http and amp untouched`));

const where = (address: string) => running.ref(address, RegistrarProtocol).ask('where', {});
const ports: BrokerPorts = { http: (await where('edge/http')).port, amp: (await where('edge/amp')).port, dns: (await where('edge/dns')).port, zone };
log(`edge listens: http :${ports.http}, amp :${ports.amp}, dns udp :${ports.dns}; keys only in keyholder/oracle`);

let matches = 0;
const match = async (method: Method, id: string) => {
  const started = Date.now();
  const answer = await rendezvous(method, ports, keys, id);
  log(`match  ${method.padEnd(4)} client-${id.padEnd(6)} got "${answer}", signature verified (${Date.now() - started} ms)`);
  matches++;
};

for (const method of ['http', 'amp', 'dns'] as const) await match(method, `${method}-1`);

log('crash-looping edge/dns on purpose');
crashDns = true;
const crasher = setInterval(() => void where('edge/dns').catch(() => {}), 100);
for (let round = 2; round <= 5; round++) {
  await Promise.all([match('http', `http-${round}`), match('amp', `amp-${round}`)]);
  await new Promise((resolve) => setTimeout(resolve, 80));
}
clearInterval(crasher);
crashDns = false;
// Listening on port 0, each incarnation got a fresh port: ask again.
ports.dns = (await where('edge/dns')).port;
log(`fault off: edge/dns serves again on udp :${ports.dns}`);
await match('dns', 'dns-2');

log(`${matches} matches, every answer signed by the Oracle; metrics:`);
for (const node of ['edge', 'keyholder', 'core']) {
  const { port } = await running.ref(`${node}/ops`, OpsProtocol).ask('where', {});
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (line.startsWith('snowflake_') && !line.endsWith(' 0')) console.log(`  ${node.padEnd(9)} ${line}`);
  }
}
await running.stop();
rmSync(join(keyDir, '..'), { recursive: true, force: true });
console.log('to watch it live in a browser: npm run demo:observe (these three nodes under `airlock run`, with `airlock observe` on them)');
