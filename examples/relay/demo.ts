/**
 * `npm run demo:relay`: a service behind NAT (party C) that never listens on a port, reached by a
 * client (party B) through the ciphertext relay. C attaches under its identity (the hash of its
 * certificate's key), B connects with that identity pinned; the relay pairs them and copies bytes,
 * and all it can print is byte counts. Then the relay restarts: C re-attaches on its own, B
 * reconnects, and the service answers again.
 */
import { run } from '../../index.ts';
import { issueCertificate, makeCertificateAuthority } from '../../transports/amqp10/index.ts';
import { CircuitProtocol, ListenerProtocol, attach, connect, identityOf, RegistryProtocol, type RelayedStream } from '../../actors/relay/index.ts';
import { freePort, until } from '../../testing/index.ts';
import { relayTopology } from './topology.ts';

const started = Date.now();
const log = (line: string) => console.log(`+${String(Date.now() - started).padStart(5)} ms  ${line}`);

// ---- certificates: the relay's own (from its CA), and one per party (any issuer: identities are keys)
const relayCa = await makeCertificateAuthority('relay demo CA');
const relayCert = await issueCertificate(relayCa, { name: 'relay', ips: ['127.0.0.1'], role: 'server' });
const partiesCa = await makeCertificateAuthority('parties (not trusted by anyone)');
const service = await issueCertificate(partiesCa, { name: 'nat-service' });
const client = await issueCertificate(partiesCa, { name: 'client' });
const C = { key: service.keyPem, cert: service.certPem };
const B = { key: client.keyPem, cert: client.certPem };
const serviceId = identityOf(C.cert);

// ---- the relay ------------------------------------------------------------------------------
const ports = { tcp: await freePort(), tls: await freePort() };
const running = run(relayTopology({ key: relayCert.keyPem, cert: relayCert.certPem }, ports));
const hint = { host: '127.0.0.1', port: ports.tcp, tlsPort: ports.tls, ca: relayCa.certPem, servername: 'relay' };
await running.ref('relay/listener', ListenerProtocol).ask('status', {}); // answers once it listens
log(`relay listens: tcp :${ports.tcp}, tls :${ports.tls}; it holds no key of B or C`);

/** What the relay itself can say about its circuits: byte counts, nothing else. */
async function relayCounts(): Promise<void> {
  const circuits = running.supervisor('relay/circuits').whichChildren();
  for (const circuit of circuits) {
    const status = await running.ref(circuit.address, CircuitProtocol).ask('status', {});
    log(`  relay sees circuit ${circuit.id.slice(0, 8)}…: ${status.toC} bytes to C, ${status.toB} bytes to B`);
  }
  const figures = await running.ref('relay/registry', RegistryProtocol).ask('status', {});
  log(`  relay registry: ${figures.reservations} reservation(s), ${figures.circuits} circuit(s), ended ${JSON.stringify(figures.ended)}`);
}

// ---- C: the service behind NAT: it dials out only --------------------------------------------
const attachment = attach(hint, C, { reconnect: { minMs: 100, maxMs: 1_000 } });
attachment.on('attached', (grant) => log(`C attached as ${serviceId.slice(0, 16)}…, reservation for ${grant.ttlMs / 60_000} min`));
attachment.on('detached', (reason, retryInMs) => log(`C detached (${reason.message}); re-attaching in ${retryInMs} ms`));
attachment.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.on('data', (chunk: Buffer) => stream.write(`hello ${chunk.toString().trim()}, from behind the NAT (you are ${stream.peerIdentity?.slice(0, 16)}…)\n`));
});
await attachment.whenAttached();

// ---- B: connects with C's identity pinned -----------------------------------------------------
async function request(stream: RelayedStream, text: string): Promise<string> {
  return new Promise((resolve) => {
    stream.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    stream.write(text);
  });
}
async function session(label: string): Promise<void> {
  const stream = await connect(hint, serviceId, B);
  log(`B connected to ${stream.peerIdentity!.slice(0, 16)}… (${stream.getProtocol()}, C's key pinned)`);
  for (const name of ['ada', 'grace']) log(`B got: ${await request(stream, `${name}-${label}`)}`);
  await relayCounts();
  stream.end();
  await new Promise((resolve) => stream.once('close', resolve));
}

await session('1');
log('restarting the relay (its whole tree)');
const reattached = new Promise((resolve) => attachment.once('attached', resolve));
await running.restart('relay');
await reattached;
await session('2');
await until(async () => (await running.ref('relay/registry', RegistryProtocol).ask('status', {})).circuits === 0, 'the circuit ended');
await relayCounts();
attachment.close();
await running.stop();
log('done');
