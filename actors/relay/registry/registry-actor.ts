import { z } from 'zod';
import { defineActor } from '../../../lib/actor.ts';
import type { RefusalCode } from '../wire/status.ts';
import { DEFAULT_REGISTRY_LIMITS, Registry } from './reservations.ts';
import { RegistryProtocol } from './protocol.ts';

const d = DEFAULT_REGISTRY_LIMITS;
export const RegistryConfig = z
  .strictObject({
    ttlMs: z.number().int().positive().default(d.ttlMs),
    maxReservations: z.number().int().positive().default(d.maxReservations),
    maxReservationsPerSource: z.number().int().positive().default(d.maxReservationsPerSource),
    maxCircuitsPerParty: z.number().int().positive().default(d.maxCircuitsPerParty),
    maxCircuits: z.number().int().positive().default(d.maxCircuits),
    maxCircuitDurationMs: z.number().int().positive().max(0xffff_ffff).default(d.maxCircuitDurationMs),
    maxCircuitBytes: z.number().int().positive().default(d.maxCircuitBytes),
    allow: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  })
  .prefault({});
export type RegistryConfigInput = z.input<typeof RegistryConfig>;

/** The registry: the `Registry` rules on the Clock port, nothing else (no socket, no stream). */
export const registryActor = defineActor({
  protocol: RegistryProtocol,
  config: RegistryConfig,
  setup(ctx) {
    const registry = new Registry(ctx.clock, ctx.config);
    return {
      reserve: ({ identity, source, link }) => registry.reserve(identity, source, link),
      release: ({ identity, link }) => registry.release(identity, link),
      openCircuit: ({ target, source, circuit }) => registry.openCircuit(target, source, circuit),
      closeCircuit: ({ circuit, reason }) => registry.closeCircuit(circuit, reason),
      refused: ({ code }) => void registry.count(code as RefusalCode),
      reset: () => (registry.reset(), 'reset' as const),
      status: () => registry.figures(),
    };
  },
});
