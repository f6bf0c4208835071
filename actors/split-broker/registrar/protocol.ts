import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';

/** A registrar takes no work through its mailbox (its clients reach it over the network): it says where it listens. */
export const RegistrarProtocol = defineProtocol('registrar', {
  where: { body: z.strictObject({}), reply: z.strictObject({ host: z.string(), port: z.number().int() }) },
});
export type RegistrarProtocol = typeof RegistrarProtocol;
