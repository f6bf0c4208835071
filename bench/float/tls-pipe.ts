import net from 'node:net';
import tls from 'node:tls';
import { benchPki } from './pki.ts';
import type { OpenPath, PathUnderTest } from './path.ts';

/**
 * The baseline: a raw Node TLS pipe with mutual authentication on loopback. Each message goes as
 * a 4-byte length and its bytes; the server answers every whole message with one byte, the least
 * a receiver can do to say "I have it", which is what a settlement says.
 */
export const rawTlsPipe: PathUnderTest = {
  name: 'raw Node TLS pipe',
  async open(): Promise<OpenPath> {
    const { server: serverTls, client: clientTls } = await benchPki();
    const server = tls.createServer({ ...serverTls, requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.setNoDelay(true);
      socket.on('error', () => socket.destroy());
      acknowledgeFrames(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const socket = tls.connect({ ...clientTls, host: '127.0.0.1', port, servername: 'float-bench' });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    socket.setNoDelay(true);
    const waiting: (() => void)[] = [];
    let head = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) waiting[head++]();
      if (head > 4_096) (waiting.splice(0, head), (head = 0));
    });
    return {
      send(bytes) {
        const header = Buffer.allocUnsafe(4);
        header.writeUInt32BE(bytes.length);
        socket.write(header);
        socket.write(bytes);
        return new Promise((resolve) => waiting.push(resolve));
      },
      async close() {
        socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  },
};

/** Reads length-prefixed frames and writes one byte back per whole frame. */
function acknowledgeFrames(socket: tls.TLSSocket): void {
  let need = -1;
  let buffered = 0;
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    let acks = 0;
    for (;;) {
      if (need < 0) {
        if (buffered < 4) break;
        need = take(4).readUInt32BE(0);
      }
      if (buffered < need) break;
      take(need);
      need = -1;
      acks++;
    }
    if (acks > 0) socket.write(Buffer.alloc(acks, 1));
  });

  function take(count: number): Buffer {
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks.length = 0;
    if (all.length > count) chunks.push(all.subarray(count));
    buffered -= count;
    return all.subarray(0, count);
  }
}
