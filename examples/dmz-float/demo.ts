/**
 * `npm run demo:float`: the DMZ float with two organisations in one process over the real
 * RabbitMQ (AIRLOCK_RABBIT_URL, default amqp://guest:guest@127.0.0.1:5672), each in a namespace of
 * its own, deleted at the end. Certificates are made fresh in a temporary directory. It shows the
 * flow both ways and A's Float's audit log, cuts the Float's tunnel mid-stream and shows every
 * message arriving once after the reconnect, then stops A's active BridgeManager and shows the
 * passive one take over.
 */
import amqp from 'amqplib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineActor } from '../../index.ts';
import { FloatProtocol, PeerInboxProtocol } from '../../actors/dmz-float/index.ts';
import { deadLetterQueueName, queueName } from '../../transports/rabbitmq/index.ts';
import { freePort, startCuttableProxy, until } from '../../testing/index.ts';
import { makeDemoCertificates } from './certificates.ts';
import { Organisations, type RunningNode } from './organisations.ts';
import type { OrgPorts } from './topology.ts';

const url = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `${process.pid}-${Date.now().toString(36)}`;
const namespaces = { a: `airlock-demo-float-a-${run}`, b: `airlock-demo-float-b-${run}` };
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Real brokers and sockets: each step gets 8 s (10 s for a failover), generous on a busy machine. */
const waitFor = (check: () => boolean, what: string, withinMs = 8_000) => until(check, what, { withinMs });

// ---- certificates, written where `airlock certs` would put them --------------------------------
const certDir = mkdtempSync(join(tmpdir(), 'airlock-float-demo-'));
const certificates = await makeDemoCertificates();
for (const org of ['a', 'b'] as const) {
  const material = certificates[org];
  const files: Record<string, string | Uint8Array> = {
    [`${org}-float.key`]: material.floatPublic.key,
    [`${org}-float.crt`]: material.floatPublic.cert,
    [`${org}-node.crt`]: material.node.cert as string,
    [`${org}-bridge.crt`]: material.bridge.cert as string,
    [`${org}-float-tunnel.crt`]: material.floatTunnel.cert as string,
  };
  for (const [name, pem] of Object.entries(files)) writeFileSync(join(certDir, name), pem, { mode: 0o600 });
}
log('certificates  network CA; per organisation: <org>-float, <org>-node, tunnel CA with <org>-float-tunnel and <org>-bridge');

// ---- both organisations; A's tunnel goes through a link the demo can cut -----------------------
const port = async (): Promise<OrgPorts> => ({ public: await freePort(), tunnel: await freePort(), health: await freePort() });
const ports = { a: await port(), b: await port() };
const tunnelLink = await startCuttableProxy({ port: ports.a.tunnel });
ports.a.dialTunnel = tunnelLink.port;

const seen = new Set<string>();
let duplicates = 0;
const arrivals: string[] = [];
const inbox = defineActor({
  protocol: PeerInboxProtocol,
  setup: (ctx) => ({
    PeerMessage({ peer, messageId, bytes }) {
      // Exactly once: a copy resent after a lost settlement carries the same message id.
      if (seen.has(`${peer}/${messageId}`)) return void duplicates++;
      seen.add(`${peer}/${messageId}`);
      arrivals.push(`${peer}/${messageId}`);
      log(`  arrived     ${ctx.address.split('/')[0].padEnd(8)} <- ${peer}: ${new TextDecoder().decode(bytes)}`);
    },
  }),
});
const auditA: string[] = [];
const orgs = new Organisations({
  url,
  namespaces,
  certificates,
  ports,
  inbox,
  standby: true,
  audit: (org) => ({ writer: (line) => void (org === 'a' ? auditA.push(line) : undefined) }),
  reconnect: { minMs: 100, maxMs: 500 },
  queryIntervalMs: 200,
});

let status = 0;
try {
  const aDmz = await orgs.startNode('a-dmz');
  const active = await orgs.startNode('a-bridge');
  const bNode = await orgs.startNode('b-node');
  const floatActive = async () => (await aDmz.running.system.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {})).active;
  await waitFor(() => auditA.some((line) => line.includes('"activated"')), "A's Float activated");
  const passive = await orgs.startNode('a-bridge');
  log(`nodes         a-dmz (Float), a-bridge (BridgeManager, active), a-bridge again (passive, on the same lease), b-node`);

  const send = (node: RunningNode, from: 'a' | 'b', n: number) => orgs.send(node, from, `${from}-${n}`, new TextEncoder().encode(`message ${n} from ${from.toUpperCase()}`));

  log('\n1. the flow: B -> A through A\'s Float, A -> B through A\'s outbound bridge');
  for (let n = 1; n <= 3; n++) await Promise.all([send(bNode, 'b', n), send(active, 'a', n)]);
  await waitFor(() => arrivals.length === 6, 'six arrivals');
  log("\n   A's Float audit log:");
  let shown = 0;
  const showAudit = () => {
    for (const line of auditA.slice(shown)) log(`   ${line.replace(/"at":\d+,/, '').replace(/"fingerprint":"[^"]+"/, '"fingerprint":"…"')}`);
    shown = auditA.length;
  };
  showAudit();

  log("\n2. the Float's tunnel is cut mid-stream (both sockets reset), restored 500 ms later");
  const cutAt = arrivals.length;
  const stream = (async () => {
    for (let n = 4; n <= 13; n++) {
      await send(bNode, 'b', n);
      await sleep(40);
    }
  })();
  await waitFor(() => arrivals.length >= cutAt + 3, 'three arrivals before the cut');
  tunnelLink.cut();
  log('  -- cut --');
  await sleep(500);
  tunnelLink.restore();
  log('  -- restored --');
  await stream;
  await waitFor(() => arrivals.filter((id) => id.startsWith('b-node/')).length === 13, "all of B's messages");
  await waitFor(() => auditA.filter((line) => line.includes('"activated"')).length === 2, 'the reactivation');
  const fromB = arrivals.filter((id) => id.startsWith('b-node/')).map((id) => Number(id.split('-').pop()));
  const inOrder = fromB.every((n, index) => n === index + 1);
  showAudit();
  log(`   B sent 13, A's inbox handled 13, each once${inOrder ? ', in order' : ', OUT OF ORDER'} (${duplicates} resent cop${duplicates === 1 ? 'y' : 'ies'} dropped by message id)`);

  log("\n3. A's active BridgeManager stops; the passive one takes the lease and activates the Float");
  await active.stop();
  log('  -- a-bridge (active) stopped --');
  await waitFor(() => auditA.filter((line) => line.includes('"activated"')).length === 3, 'the activation by the passive one', 10_000);
  showAudit();
  for (let n = 14; n <= 15; n++) await send(bNode, 'b', n);
  await send(passive, 'a', 4);
  await waitFor(() => arrivals.length === 19, 'the arrivals after the takeover');
  log(`\nfloat active: ${await floatActive()}; every message arrived once: ${arrivals.length === new Set(arrivals).size && arrivals.length === 19}`);
} catch (error) {
  console.error(error);
  status = 1;
} finally {
  await orgs.stopAll();
  await tunnelLink.close();
  rmSync(certDir, { recursive: true, force: true });
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const org of ['a', 'b'] as const) {
    for (const address of Organisations.queuesOf(org)) await channel.deleteQueue(queueName(namespaces[org], address));
    await channel.deleteQueue(deadLetterQueueName(namespaces[org]));
    await channel.deleteExchange(namespaces[org]);
  }
  await connection.close();
}
process.exit(status);
