/**
 * What the four parts of the orders app say to each other, each once, as zod schemas: the
 * TypeScript types and the runtime checks (in-process before a message is queued, over RabbitMQ
 * before it reaches the actor) both come from here.
 */
import { z } from 'zod';
import { defineProtocol } from '../../index.ts';

/** An order as the intake receives it: whole cents, a customer id that is one address segment. */
export const Order = z.object({
  customer: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  item: z.string().min(1).max(64),
  cents: z.number().int().positive(),
});
export type Order = z.infer<typeof Order>;

/** The validator's answer: accepted, or the reason it refuses (which the intake also sends as its error code). */
export const Verdict = z.enum(['ACCEPTED', 'TOO_LARGE', 'THROTTLED']);
export type Verdict = z.infer<typeof Verdict>;

/** `edge/validator`, an xstate machine: checks orders and throttles bursts. */
export const Validator = defineProtocol('orders.validator', {
  check: { body: Order, reply: Verdict },
  state: { body: z.object({}), reply: z.enum(['open', 'cooling']) },
});

/** One `core/customers/<id>` per customer, started at run time: places that customer's orders. */
export const Customer = defineProtocol('orders.customer', {
  place: {
    body: z.object({ item: z.string(), cents: z.number().int() }),
    reply: z.object({ customer: z.string(), item: z.string(), cents: z.number().int(), total: z.number().int() }),
  },
});

const Total = z.object({ customer: z.string(), orders: z.number().int(), cents: z.number().int() });

/** `core/ledger`: every customer's total; it outlives the customers' workers. */
export const Ledger = defineProtocol('orders.ledger', {
  add: { body: z.object({ customer: z.string(), cents: z.number().int() }), reply: Total },
  total: { body: z.object({ customer: z.string() }), reply: Total },
});

/** `edge/intake`, the HTTP front door; asked where it listens (its port may be picked at start). */
export const Intake = defineProtocol('orders.intake', {
  where: { body: z.object({}), reply: z.object({ host: z.string(), port: z.number().int() }) },
});
