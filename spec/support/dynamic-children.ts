/** The actors of the dynamic-children specs: a customer worker with a required config, and the manager's protocol. */
import { z } from 'zod';
import { defineActor, defineProtocol } from '../../internal.ts';

/** A worker answers with the limit its config gave it. */
export const Customer = defineProtocol('spec.customer', {
  limit: { body: z.object({}), reply: z.number() },
});

export const customerWorker = defineActor({
  protocol: Customer,
  config: z.object({ limit: z.number().int().positive() }),
  setup: (ctx) => ({ limit: () => ctx.config.limit }),
});

const DynamicChildSchema = z.object({ id: z.string(), address: z.string(), state: z.enum(['running', 'stopped', 'restarting', 'failed']), restarts: z.number() });

/** What a test asks the manager actor, which uses `ctx.dynamicSupervisor(at)`. */
export const Customers = defineProtocol('spec.customers', {
  open: { body: z.object({ id: z.string(), config: z.unknown().optional(), at: z.string().optional() }), reply: DynamicChildSchema },
  close: { body: z.object({ id: z.string() }), reply: DynamicChildSchema },
  list: { body: z.object({ at: z.string().optional() }), reply: z.array(DynamicChildSchema) },
});
