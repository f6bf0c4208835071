/**
 * The orders app in one process: a few requests to its HTTP intake, each with its answer.
 * `npm run demo:orders`; the same topology runs as two processes over RabbitMQ (topology.ts).
 */
import { run } from '../../index.ts';
import { Intake } from './protocols.ts';
import { ordersTopology } from './topology.ts';

const running = run(ordersTopology({ port: 0, throttle: { burst: 3 } }));
const { port } = await running.ref('edge/intake', Intake).ask('where', {});

async function send(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const request = `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`;
  console.log(`${request.padEnd(68)} ${response.status} ${await response.text()}`);
}

await send('POST', '/customers/ada');
await send('POST', '/orders', { customer: 'ada', item: 'tea', cents: 350 });
await send('POST', '/orders', { customer: 'ada', item: 'piano', cents: 250_000 });
await send('POST', '/orders', { customer: 'ada', item: 'poison', cents: 100 });
await send('POST', '/orders', { customer: 'zed', item: 'tea', cents: 350 });
await send('POST', '/orders', { customer: 'ada', item: 'cake', cents: 420 });
await send('POST', '/orders', { customer: 'ada', item: 'jam', cents: 150 });
await send('POST', '/orders', { customer: 'ada', item: 'coffee', cents: 280 });
await send('GET', '/customers/ada/total');
await running.stop();
