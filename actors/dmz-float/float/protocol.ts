import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';

const Bound = z.object({ host: z.string(), port: z.number() });

/** What a Float answers to locally: its state, for operators and tests. */
export const FloatProtocol = defineProtocol('float', {
  Status: {
    body: z.object({}),
    reply: z.object({
      active: z.boolean(),
      /** The public listener, bound only while a BridgeManager has activated the Float. */
      public: Bound.optional(),
      tunnel: Bound,
      health: Bound.optional(),
      peers: z.number(),
    }),
  },
});
export type FloatProtocol = typeof FloatProtocol;
