import { amqp10Links } from '../../transports/amqp10/index.ts';
import { benchPki } from './pki.ts';
import type { OpenPath, PathUnderTest } from './path.ts';

/** Credit the receiver grants: enough that the throughput load (a window of `WINDOW`) never waits for it. */
const CREDIT = 1_000;

/**
 * One AMQP 1.0 hop through the project's Links port (rhea over mutual TLS on loopback): a sender,
 * a receiver that accepts each delivery as it arrives, and the settlement back to the sender.
 */
export const linksHop: PathUnderTest = {
  name: 'AMQP 1.0 hop (Links, mutual TLS)',
  async open(): Promise<OpenPath> {
    const { server: serverTls, client: clientTls } = await benchPki();
    const listener = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: serverTls }, (session) => {
      session.onReceiverOpened(() => ({ credit: CREDIT, onDelivery: (delivery) => delivery.accept() }));
    });
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: listener.address.port, tls: clientTls, expectedName: 'float-bench' });
    const sender = await session.openSender('inbox/bench');
    return {
      send: async (bytes, id) => void (await sender.send(bytes, { messageId: id })),
      async close() {
        await session.close();
        await listener.close();
      },
    };
  },
};
