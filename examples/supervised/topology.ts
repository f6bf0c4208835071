import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, supervisor } from '../../index.ts';

/** Parses text orders; it crashes on an order it cannot read, as real code sometimes does. */
export const Parser = defineProtocol('parser', {
  order: { body: z.object({ text: z.string() }), reply: z.object({ item: z.string(), cents: z.number() }) },
});

/** Keeps a running total; asked for it, it answers. */
export const Ledger = defineProtocol('ledger', {
  add: { body: z.object({ item: z.string(), cents: z.number().int() }) },
  total: { body: z.object({}), reply: z.object({ orders: z.number(), cents: z.number() }) },
});

export const parser = defineActor({
  protocol: Parser,
  setup(ctx) {
    const ledger = ctx.ref('back/ledger', Ledger);
    return {
      async order({ text }) {
        const match = /^(\w+) (\d+)\.(\d\d)$/.exec(text);
        if (!match) throw new Error(`cannot parse order '${text}'`);
        const line = { item: match[1], cents: Number(match[2]) * 100 + Number(match[3]) };
        await ledger.tell('add', line);
        return line;
      },
    };
  },
});

export const ledger = defineActor({
  protocol: Ledger,
  setup() {
    let orders = 0;
    let cents = 0;
    return {
      add(body) {
        orders++;
        cents += body.cents;
      },
      total: () => ({ orders, cents }),
    };
  },
});

/**
 * Two nodes: `back` keeps the ledger, `front` parses orders and tells the ledger. Run whole in
 * one process (`npm run demo`), or one node per process over RabbitMQ:
 * `airlock run examples/supervised/topology.ts --node back --amqp amqp://127.0.0.1`.
 */
export const shop = defineTopology('shop', {
  back: supervisor({ children: [child('ledger', ledger)] }),
  front: supervisor({
    strategy: 'one_for_one',
    intensity: { maxRestarts: 5, withinMs: 10_000 },
    children: [child('parser', parser)],
  }),
});

export default shop;
