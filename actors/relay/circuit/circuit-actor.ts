import { z } from 'zod';
import { defineActor, type ActorDefinition } from '../../../lib/actor.ts';
import { RegistryProtocol } from '../registry/protocol.ts';
import { Splice, type CircuitTap } from './splice.ts';
import type { StreamHandoff } from './handoff.ts';
import { CircuitProtocol } from './protocol.ts';

export const CircuitConfig = z.strictObject({}).optional();

export interface CircuitDeps {
  handoff: StreamHandoff;
  /** The registry to tell when the circuit ends. */
  registry: string;
  tap?: CircuitTap;
}

/**
 * One circuit: the two streams of a B↔C pair, copied both ways by a `Splice` under the circuit's
 * byte and time limits. Its id is the circuit's name (not the secret token C accepted it with). It is started `temporary` under the relay's
 * circuits dynamic supervisor: a crash ends this circuit's two streams and nothing else (no
 * restart: the streams cannot be had again), and the registry frees the slot.
 */
export function circuitActor(deps: CircuitDeps): ActorDefinition<CircuitProtocol> {
  return defineActor({
    protocol: CircuitProtocol,
    setup(ctx) {
      const circuit = ctx.address.slice(ctx.address.lastIndexOf('/') + 1);
      const registry = ctx.ref(deps.registry, RegistryProtocol);
      const pair = deps.handoff.take(circuit);
      let told = false;
      const tell = (reason: 'closed' | 'bytes' | 'duration' | 'error' | 'relay') => {
        if (told) return;
        told = true;
        void registry.tell('closeCircuit', { circuit, reason }).catch(() => {});
      };
      if (!pair) {
        tell('relay');
        ctx.stop();
        return { status: () => ({ toC: 0, toB: 0, buffered: 0, ended: 'relay' }), end: () => {} };
      }
      const tap = deps.tap;
      const splice = new Splice(pair.b, pair.c, {
        clock: ctx.clock,
        maxBytes: pair.grant.maxBytes,
        maxDurationMs: pair.grant.maxDurationMs,
        supervise: ctx.supervise,
        ...(tap ? { tap: (direction, chunk) => tap(direction, chunk, circuit) } : {}),
        onEnd: (reason) => {
          ctx.log.info({ reason, toC: splice.bytes.toC, toB: splice.bytes.toB }, 'circuit ended');
          tell(reason);
          ctx.stop();
        },
      });
      ctx.onStop(() => splice.destroy());
      return {
        status: () => ({ toC: splice.bytes.toC, toB: splice.bytes.toB, buffered: splice.buffered(), ...(splice.endedWith ? { ended: splice.endedWith } : {}) }),
        end: () => splice.end('closed'),
      };
    },
  });
}
