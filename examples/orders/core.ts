/**
 * The `core` node's actors: the ledger, which keeps every customer's total, and the customer
 * worker, one per customer under the dynamic supervisor `core/customers`, started and stopped at
 * run time. A worker's address is `core/customers/<customer>`: an order for a customer with no
 * worker has nowhere to go and fails at once with UNKNOWN_ADDRESS, on every transport.
 */
import { defineActor } from '../../index.ts';
import { Customer, Ledger } from './protocols.ts';

export const ledger = defineActor({
  protocol: Ledger,
  setup() {
    const totals = new Map<string, { orders: number; cents: number }>();
    const totalOf = (customer: string) => ({ customer, ...(totals.get(customer) ?? { orders: 0, cents: 0 }) });
    return {
      add({ customer, cents }) {
        const { orders, cents: sum } = totalOf(customer);
        totals.set(customer, { orders: orders + 1, cents: sum + cents });
        return totalOf(customer);
      },
      total: ({ customer }) => totalOf(customer),
    };
  },
});

/** One customer's orders, one at a time; the totals live in the ledger, so they outlive the worker. */
export const customerWorker = defineActor({
  protocol: Customer,
  setup(ctx) {
    const customer = ctx.address.slice(ctx.address.lastIndexOf('/') + 1);
    const books = ctx.ref('core/ledger', Ledger);
    return {
      async place({ item, cents }) {
        const total = await books.ask('add', { customer, cents });
        return { customer, item, cents, total: total.cents };
      },
    };
  },
});
