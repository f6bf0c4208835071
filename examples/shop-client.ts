/**
 * A third process that joins the split shop over RabbitMQ and sends it orders: the very refs
 * and protocols of the in-process demo, now crossing processes through the broker.
 *
 *   npx tsx examples/shop-client.ts [amqp-url] "tea 3.50" "garbage!" ...
 */
import { connectRabbit, createSystem, errorMessage } from '../index.ts';
import { Ledger, Parser } from './supervised/topology.ts';

const [url = 'amqp://guest:guest@127.0.0.1:5672', ...orders] = process.argv.slice(2);
const transport = await connectRabbit({ url, namespace: 'shop' });
const system = createSystem({ name: 'client', transport });
const parser = system.ref('front/parser', Parser);

for (const text of orders.length > 0 ? orders : ['tea 3.50', 'garbage!', 'coffee 2.80']) {
  try {
    const line = await parser.ask('order', { text });
    console.log(`order '${text}': ${line.item} ${(line.cents / 100).toFixed(2)}`);
  } catch (error) {
    console.log(`order '${text}': ${(error as { code?: string }).code} ${errorMessage(error)}`);
  }
}
const total = await system.ref('back/ledger', Ledger).ask('total', {});
console.log(`ledger: ${total.orders} orders, ${(total.cents / 100).toFixed(2)}`);
await system.stop();
await transport.close();
