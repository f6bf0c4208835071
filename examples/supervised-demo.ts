/**
 * The smallest airlock system worth running: two supervised actors on the in-process transport.
 * One order is garbage: the parser crashes on it, its supervisor restarts it, the ledger keeps
 * its state, and the orders after the bad one are still handled.
 */
import { createSystem, errorMessage, run, type SystemEvent } from '../index.ts';
import { Ledger, Parser, shop } from './supervised/topology.ts';

const system = createSystem({ name: 'demo' });
const t0 = system.clock.now();
const log = (what: string, address: string, detail = '') =>
  console.log(`+${String(system.clock.now() - t0).padStart(3)} ms  ${what.padEnd(13)} ${address}${detail}`);

const details = (event: SystemEvent): string => {
  switch (event.kind) {
    case 'failed': return `: ${event.error.message}`;
    case 'restarted': return ` (restart #${event.restarts})`;
    case 'stopped': return ` (${event.reason.kind})`;
    case 'dead-lettered': return `: ${errorMessage(event.reason)}`;
    default: return '';
  }
};
system.events.subscribe((event) => log(event.kind, event.address, details(event)));

const running = run(shop, { system });
const parser = running.ref('front/parser', Parser);
const ledger = running.ref('back/ledger', Ledger);

for (const text of ['tea 3.50', 'cake 4.20', 'garbage!', 'coffee 2.80']) {
  log('ask', 'front/parser', ` order '${text}'`);
  try {
    const line = await parser.ask('order', { text });
    log('reply', 'front/parser', ` ${line.item} ${(line.cents / 100).toFixed(2)}`);
  } catch (error) {
    log('error', 'front/parser', ` ${(error as { code?: string }).code}: ${errorMessage(error)}`);
  }
}

const total = await ledger.ask('total', {});
log('reply', 'back/ledger', ` total: ${total.orders} orders, ${(total.cents / 100).toFixed(2)}`);
for (const node of running.status()) {
  for (const actor of node.children ?? []) {
    log('status', actor.address, ` ${actor.state}, restarts ${actor.restarts}, handled ${actor.handled}, failed ${actor.failed}`);
  }
}
await running.stop();
