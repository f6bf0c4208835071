import type net from 'node:net';
import rhea, { type Delivery } from 'rhea';
import { benchPki } from './pki.ts';
import type { OpenPath, PathUnderTest } from './path.ts';

/**
 * The second reference: rhea alone over the same mutual TLS, with rhea's own defaults (a receiver
 * that auto-accepts and refills a credit window of 1,000, Nagle off) and no Links port. Its cost
 * over the raw pipe is rhea's framing and encoding; the Links hop's cost over it is airlock's.
 */
export const bareRhea: PathUnderTest = {
  name: 'bare rhea (no Links port)',
  async open(): Promise<OpenPath> {
    const { server: serverTls, client: clientTls } = await benchPki();
    const receiving = rhea.create_container();
    const server = receiving.listen({
      transport: 'tls', host: '127.0.0.1', port: 0, ...serverTls, requestCert: true, rejectUnauthorized: true, tcp_no_delay: true,
    } as unknown as Parameters<typeof receiving.listen>[0]) as net.Server;
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    const connection = rhea.create_container().connect({
      transport: 'tls', host: '127.0.0.1', port, ...clientTls, servername: 'float-bench', reconnect: false, tcp_no_delay: true,
    } as unknown as Parameters<typeof rhea.connect>[0]);
    const sender = connection.open_sender('inbox/bench');
    await new Promise<void>((resolve) => sender.once('sendable', () => resolve()));
    const waiting = new Map<Delivery, () => void>();
    sender.on('accepted', (context) => {
      waiting.get(context.delivery!)?.();
      waiting.delete(context.delivery!);
    });
    return {
      send: (bytes, id) =>
        new Promise<void>((resolve) => {
          const body = rhea.message.data_section(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          waiting.set(sender.send({ message_id: id, body }), resolve);
        }),
      async close() {
        connection.close();
        await new Promise((resolve) => connection.once('connection_close', resolve));
        await new Promise((resolve) => server.close(resolve));
      },
    };
  },
};
