import assert from 'node:assert/strict';
import { createSystem, withConfig, type ActorSystem, type LinkDelivery, type LinkSession } from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { HopMessage, decodeHopMessage } from '../../../transports/amqp10/hop-message-decoder.ts';
import { FloatProtocol, floatActor } from '../../../actors/dmz-float/index.ts';
import { FORWARDED, TUNNEL, encodeActivation } from '../../../actors/dmz-float/tunnel/index.ts';
import { protonMessage, requireProton, runProtonPeer, type ProtonRun } from '../../support/proton-peer.ts';
import { floatPki, freePort, until, type FloatPki } from './support.ts';

const INBOX_PREFIX = 'internal.peers.';
const INBOX = `${INBOX_PREFIX}${'cd'.repeat(32)}`;
/** Enough messages to cross credit refills (the Float grants 16 per peer here) and both vbin8 and vbin32 bodies. */
const COUNT = 300;

describe('an independent AMQP 1.0 peer (Apache Qpid Proton) and the fast path', function () {
  // Python's start (~0.3 s) and two mutual-TLS handshakes; 30 s covers a busy 2-core machine many times over.
  this.timeout(30_000);
  let pki: FloatPki;
  let system: ActorSystem | undefined;
  let peer: ProtonRun | undefined;
  const sessions: LinkSession[] = [];

  before(async () => {
    requireProton();
    pki = await floatPki();
  });

  afterEach(async () => {
    peer?.kill();
    peer = undefined;
    for (const session of sessions.splice(0)) await session.close().catch(() => {});
    await system?.stop({ drainTimeoutMs: 0 });
    system = undefined;
  });

  it("sends to an inbox on the Float: each message reaches the BridgeManager side whole, with its id and the Float's own properties, and settles accepted at the peer", async () => {
    const publicPort = await freePort();
    system = createSystem({ name: 'a-dmz' });
    system.spawn(withConfig(floatActor, { public: { host: '127.0.0.1', port: publicPort }, tunnel: { host: '127.0.0.1', port: 0, tls: pki.floatTunnel, bridgeName: 'bridge-a' } }), 'a-dmz/float');
    const float = system.ref('a-dmz/float', FloatProtocol);
    await until(() => system!.status().some((child) => child.state === 'running'), 'the float');
    // The test plays the BridgeManager: the tunnel's inbound receiver accepts each forwarded delivery.
    const held: LinkDelivery[] = [];
    const { tunnel } = await float.ask('FloatStatus', {});
    const bridge = await amqp10Links.connect({ host: '127.0.0.1', port: tunnel.port, tls: pki.bridge, expectedName: 'float-a-tunnel' });
    sessions.push(bridge);
    await bridge.openReceiver(TUNNEL.inbound, { credit: 64, onDelivery: (delivery) => (held.push(delivery), delivery.accept()) });
    await (await bridge.openSender(TUNNEL.control)).send(encodeActivation({ ...pki.floatPublic, inboxPrefix: INBOX_PREFIX }));
    await until(async () => (await float.ask('FloatStatus', {})).public !== undefined, 'the public listener');

    peer = await runProtonPeer('send', { port: publicPort, address: INBOX, count: COUNT, tls: pki.peerB });
    const done = await peer.line((line) => 'outcomes' in line);
    await peer.exited;

    assert.deepEqual(done.outcomes, Array.from({ length: COUNT }, () => 'accepted'));
    // Proton's encoding of these messages is within the hop's shape: the Float read them without rhea's generic decoder.
    assert.ok(decodeHopMessage(Buffer.from(String(done.firstEncodedHex), 'hex')) instanceof HopMessage);
    assert.equal(held.length, COUNT);
    held.forEach((delivery, i) => {
      const sent = protonMessage(i);
      assert.deepEqual(Buffer.from(delivery.bytes), sent.bytes, `body ${i}`);
      assert.equal(delivery.messageId, sent.messageId);
      const { [FORWARDED.target]: target, [FORWARDED.peer]: who, [FORWARDED.peerFingerprint]: fingerprint, ...own } = delivery.properties;
      // The Float forwards its own properties only: what a peer claims in its own is not passed inward.
      assert.deepEqual(own, {}, `properties ${i}`);
      assert.deepEqual([target, who], [INBOX, 'node-b']);
      assert.match(String(fingerprint), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    });
  });

  it("receives from airlock's outbound link (the QueueConsumer's sender): exact bodies, ids and properties, each settled accepted", async () => {
    const port = await freePort();
    peer = await runProtonPeer('receive', { port, address: 'internal.peers.b', count: COUNT, tls: pki.nodeB });
    await peer.line((line) => line.listening === port);
    const session = await amqp10Links.connect({ host: '127.0.0.1', port, tls: pki.nodeA, expectedName: 'node-b' });
    sessions.push(session);
    const sender = await session.openSender('internal.peers.b');
    const sent = Array.from({ length: COUNT }, (_, i) => protonMessage(i));
    const settlements = await Promise.all(sent.map(({ bytes, messageId, properties }) => sender.send(bytes, { messageId, properties })));
    await peer.exited;

    assert.deepEqual(settlements.map((settlement) => settlement.outcome), sent.map(() => 'accepted'));
    const received = peer.lines.filter((line) => 'id' in line);
    assert.equal(received.length, COUNT);
    received.forEach((line, i) => {
      assert.deepEqual(
        { id: line.id, body: line.bodyHex, kind: line.bodyKind, properties: line.properties, address: line.address },
        { id: sent[i].messageId, body: sent[i].bytes.toString('hex'), kind: 'bytes', properties: sent[i].properties, address: 'internal.peers.b' },
        `message ${i}`,
      );
    });
  });
});
