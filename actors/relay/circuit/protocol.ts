import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';

export const CircuitStatus = z.strictObject({
  toC: z.number().int(),
  toB: z.number().int(),
  buffered: z.number().int(),
  ended: z.string().optional(),
});

/** A circuit actor answers status (byte counts only: it never sees anything but ciphertext) and can be told to end. */
export const CircuitProtocol = defineProtocol('relay-circuit', {
  status: { body: z.strictObject({}), reply: CircuitStatus },
  end: { body: z.strictObject({}) },
});
export type CircuitProtocol = typeof CircuitProtocol;
