import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';

const HostPort = z.strictObject({ host: z.string(), port: z.number().int() });

export const ListenerStatus = z.strictObject({
  tcp: HostPort.optional(),
  tls: HostPort.optional(),
  connections: z.number().int(),
  handshaking: z.number().int(),
  links: z.number().int(),
  waiting: z.number().int(),
});

/** The listener answers where it listens and what it holds. */
export const ListenerProtocol = defineProtocol('relay-listener', {
  status: { body: z.strictObject({}), reply: ListenerStatus },
});
export type ListenerProtocol = typeof ListenerProtocol;
