import { z } from 'zod';
import { defineProtocol } from '../../lib/protocol.ts';

/** The ops listener takes no work through its mailbox (Prometheus scrapes it over HTTP): it says where it listens. */
export const OpsProtocol = defineProtocol('ops', {
  where: { body: z.strictObject({}), reply: z.strictObject({ host: z.string(), port: z.number().int() }) },
});
export type OpsProtocol = typeof OpsProtocol;
