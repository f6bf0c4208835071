import assert from 'node:assert/strict';
import { LinkLostError, type LinkListener, type LinkSender, type LinkSession } from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { startCuttableProxy, type CuttableProxy } from '../../support/cuttable-proxy.ts';
import { DeliveryLedger } from '../../support/delivery-ledger.ts';
import { pki, type Pki } from './support/pki.ts';
import { until } from '../../support/fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const MESSAGES = 200;
/** The receiver cuts the link when this many distinct messages arrived, holding the last one unsettled. */
const CUT_AT = 50;


describe('Link loss through a cuttable proxy (AMQP 1.0 over mutual TLS)', function () {
  this.timeout(20_000);
  let certs: Pki;
  let listener: LinkListener;
  let proxy: CuttableProxy;
  const sessions: LinkSession[] = [];

  before(async () => {
    certs = await pki();
  });
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
    await proxy.close();
    await listener.close();
  });

  /** A receiver that settles each new delivery a moment later (as if after a broker confirm) and drops redeliveries by message id. */
  async function serve(ledger: DeliveryLedger, onNew: (count: number) => void): Promise<void> {
    listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: certs.server }, (session) => {
      const peer = session.peer.commonName ?? '?';
      session.onReceiverOpened(() => ({
        credit: 20,
        onDelivery: (delivery) => {
          if (!ledger.receive(peer, delivery.messageId ?? '')) return delivery.accept();
          onNew(ledger.handled(peer).length);
          setTimeout(() => delivery.accept(), 1);
        },
      }));
    });
    proxy = await startCuttableProxy({ port: listener.address.port });
  }

  async function sender(): Promise<LinkSender> {
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: proxy.port, tls: certs.client, expectedName: 'float-a' });
    sessions.push(session);
    return session.openSender('inbox/a');
  }

  it('rejects unsettled sends with LinkLostError on a cut; resent after reconnecting, each arrives once, in order', async () => {
    const ledger = new DeliveryLedger();
    const heldAtCut: string[] = [];
    await serve(ledger, (count) => {
      if (count !== CUT_AT) return;
      heldAtCut.push(`m-${count}`);
      proxy.cut(); // mid-stream: more are in flight, and this one is not settled yet
    });

    // Every message is sent at once on the first link; whatever is not settled when it dies is resent, in order.
    const link = await sender();
    const ids = Array.from({ length: MESSAGES }, (_, n) => `m-${n + 1}`);
    for (const id of ids) ledger.send('node-b', id);
    const outcomes = await Promise.all(ids.map((id) => link.send(bytes(id), { messageId: id }).then(() => undefined, (error: unknown) => error)));
    const failed = ids.filter((_, n) => outcomes[n] !== undefined);

    assert.ok(outcomes.every((outcome) => outcome === undefined || (outcome instanceof LinkLostError && outcome.address === 'inbox/a')), String(outcomes.find((o) => o !== undefined && !(o instanceof LinkLostError))));
    assert.ok(failed.includes(heldAtCut[0]), 'the delivery held unsettled at the cut is not settled');
    assert.ok(failed.length >= MESSAGES - CUT_AT, `only ${failed.length} sends failed`);
    assert.deepEqual(failed, ids.slice(ids.length - failed.length), 'the unsettled sends are the tail of the stream');

    // No new connection while cut; once restored, the resends go through a fresh connection.
    await assert.rejects(sender(), (error: unknown) => (error as { code?: string }).code === 'LINK_CONNECT');
    proxy.restore();
    // Received before the cut but never settled: these come twice, and the receiver drops the second.
    const receivedUnsettled = failed.filter((id) => ledger.handled('node-b').includes(id));
    const again = await sender();
    for (const id of failed) await again.send(bytes(id), { messageId: id });
    await until(() => ledger.handled('node-b').length === MESSAGES, 'every message');

    assert.ok(receivedUnsettled.includes(heldAtCut[0]));
    assert.deepEqual(ledger.verdict('node-b'), { missing: [], unexpected: [], redelivered: receivedUnsettled, outOfOrder: [] });
    assert.deepEqual(ledger.handled('node-b'), ids);
    assert.equal(proxy.accepted, 2);
  });
});
