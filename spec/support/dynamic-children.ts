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

/** The manager answers each request with what `ctx.dynamicSupervisor` gave (or its refusal, as the asker's error). */
export function managerOf(supervisorAddress: string) {
  return defineActor({
    protocol: Customers,
    setup: (ctx) => ({
      open: ({ id, config, at }) => ctx.replyLater(ctx.dynamicSupervisor(at ?? supervisorAddress).start(id, config === undefined ? {} : { config })),
      close: ({ id }) => ctx.replyLater(ctx.dynamicSupervisor(supervisorAddress).stop(id)),
      list: ({ at }) => ctx.replyLater(ctx.dynamicSupervisor(at ?? supervisorAddress).list()),
    }),
  });
}
