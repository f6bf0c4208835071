/**
 * A child process holding only the hop under test (the relay, or a raw TCP splice to `target`),
 * so its resident set is the hop's alone. Told `{ start }` over IPC, it answers with its ports;
 * told `rss`, it collects garbage and answers with its RSS and V8 heap in use, in bytes.
 */
import net from 'node:net';
import { defineTopology, run } from '../../index.ts';
import { ListenerProtocol, relayTree } from '../../actors/relay/index.ts';

type Start = { start: 'relay'; key: string; cert: string } | { start: 'splice'; target: number };

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', async (message: Start | 'rss' | 'exit') => {
  if (message === 'exit') process.exit(0);
  if (message === 'rss') {
    for (let i = 0; i < 3; i += 1) gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rss, heapUsed } = process.memoryUsage();
    return process.send!({ rss, heapUsed });
  }
  if (message.start === 'relay') {
    const running = run(
      defineTopology('relay-rss', {
        relay: relayTree({ tcp: { host: '127.0.0.1', port: 0 }, tls: { host: '127.0.0.1', port: 0, key: message.key, cert: message.cert }, registry: { maxCircuitsPerParty: 100_000, maxCircuits: 100_000 }, listener: { maxConnectionsPerSource: 100_000, maxPendingHandshakes: 100_000 } }),
      }),
    );
    const status = await running.ref('relay/listener', ListenerProtocol).ask('status', {});
    return process.send!({ tcp: status.tcp!.port, tls: status.tls!.port });
  }
  const splice = net.createServer((from) => {
    const to = net.connect(message.target, '127.0.0.1');
    for (const socket of [from, to]) socket.on('error', () => (from.destroy(), to.destroy()));
    from.pipe(to).pipe(from);
  });
  splice.listen(0, '127.0.0.1', () => process.send!({ tcp: (splice.address() as net.AddressInfo).port }));
});
