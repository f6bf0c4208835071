import assert from 'node:assert/strict';
import { createSystem, withConfig } from '../../../index.ts';
import { OutboundProtocol, queueConsumerActor } from '../../../actors/dmz-float/index.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { startSocks5 } from '../../transports/amqp10/support/socks5-server.ts';
import { bytes, floatPki, freePort, text, until } from './support.ts';

describe('QueueConsumer: a stop while the outbound link is down', function () {
  this.timeout(10_000);

  it('gives up waiting for the link at once, instead of holding a graceful stop until its shutdown timeout', async () => {
    const pki = await floatPki();
    const deadPort = await freePort();
    const system = createSystem({ name: 'a-bridge' });
    const failures: string[] = [];
    system.events.subscribe((event) => {
      if (event.kind === 'stopped' && event.address === 'a-bridge/out/node-b') failures.push(event.reason.kind);
    });
    const config = { peer: { name: 'node-b', host: '127.0.0.1', port: deadPort, expectedName: 'node-b' }, tls: pki.nodeA, reconnect: { minMs: 4_000, maxMs: 4_000, jitter: 0 } };
    system.spawn(withConfig(queueConsumerActor, config), 'a-bridge/out/node-b');
    await system.ref('a-bridge/out/node-b', OutboundProtocol).tell('Send', { messageId: 'a-1', target: 'internal.peers.b', bytes: bytes('hello B') });
    // The first dial is refused at once; the handler is now in its 4 s backoff.
    await until(() => system.status()[0]?.mailboxDepth === 0, 'the handler to take the message');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await system.stop({ drainTimeoutMs: 0, shutdown: 3_000 });
    const took = Date.now() - started;
    // Waiting for the backoff would take 3 s (the shutdown deadline); the stop itself takes milliseconds.
    assert.ok(took < 2_500, `the stop took ${took} ms: it waited for the backoff`);
    assert.deepEqual(failures, ['shutdown']);
  });
});

describe('QueueConsumer: an outbound bridge through a SOCKS5 proxy (Corda\'s proxyConfig)', function () {
  this.timeout(10_000);

  it('dials the remote through the proxy, checks its name, and handles the message once the remote accepted it', async () => {
    const pki = await floatPki();
    const received: string[] = [];
    const remote = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: pki.nodeB }, (session) =>
      session.onReceiverOpened(() => ({ credit: 10, onDelivery: (delivery) => (received.push(`${delivery.messageId} ${text(delivery.bytes)}`), delivery.accept()) })),
    );
    const socks = await startSocks5();
    const system = createSystem({ name: 'a-bridge' });
    try {
      const peer = { name: 'node-b', host: '127.0.0.1', port: remote.address.port, expectedName: 'node-b', socks: { host: '127.0.0.1', port: socks.port } };
      system.spawn(withConfig(queueConsumerActor, { peer, tls: pki.nodeA }), 'a-bridge/out/node-b');
      await system.ref('a-bridge/out/node-b', OutboundProtocol).tell('Send', { messageId: 'a-1', target: 'internal.peers.b', bytes: bytes('hello B') });
      await until(() => system.status()[0]?.handled === 1, 'the message handled (acked) once the remote accepted it');
      assert.deepEqual(received, ['a-1 hello B']);
      assert.deepEqual(socks.tunnels, [`127.0.0.1:${remote.address.port}`]);
    } finally {
      await system.stop({ drainTimeoutMs: 0 });
      await socks.close();
      await remote.close();
    }
  });
});
