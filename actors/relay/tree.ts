import { child } from '../../supervisors/child-spec.ts';
import { dynamicSupervisor, supervisor, type SupervisorSpec } from '../../supervisors/supervisor-spec.ts';
import type { HostPort } from '../../lib/ports/network.ts';
import { circuitActor } from './circuit/circuit-actor.ts';
import { StreamHandoff } from './circuit/handoff.ts';
import type { CircuitTap } from './circuit/splice.ts';
import { CIRCUIT_SHUTDOWN_MS, MAX_CIRCUITS } from './limits.ts';
import { listenerActor, type ListenerConfigInput } from './listener/listener-actor.ts';
import { registryActor, type RegistryConfigInput } from './registry/registry-actor.ts';

export interface RelayOptions {
  /** The address this tree runs at (its node's name when it is a node's root): children are `<at>/registry`, `<at>/circuits/<id>`, `<at>/listener`. */
  at?: string;
  /** Plain TCP listener (CONNECT, ACCEPT). */
  tcp?: HostPort;
  /** TLS listener with the relay's own key and certificate (RESERVE; CONNECT and ACCEPT hidden from observers). */
  tls?: HostPort & { key: string; cert: string };
  /** Reservation and circuit limits (see limits.ts for the defaults and their reasons). */
  registry?: RegistryConfigInput;
  /** The listener's deadlines and bounds. */
  listener?: Omit<ListenerConfigInput, 'tcp' | 'tls' | 'registry' | 'circuits'>;
  /** Sees (and may replace) every chunk a circuit forwards: for audits and tests. */
  tap?: CircuitTap;
}

/**
 * The relay's supervision tree, rest_for_one in start order: the registry, the circuits' dynamic
 * supervisor (one temporary actor per circuit), the listener. A circuit's crash touches nothing
 * else; a listener restart ends every link and circuit it accepted (and resets the registry); a
 * registry restart restarts the two after it, so reservations are made again by the clients.
 */
export function relayTree(options: RelayOptions): SupervisorSpec {
  const at = options.at ?? 'relay';
  const handoff = new StreamHandoff();
  const maxCircuits = options.registry?.maxCircuits ?? MAX_CIRCUITS;
  return supervisor({
    strategy: 'rest_for_one',
    intensity: { maxRestarts: 10, withinMs: 10_000 },
    children: [
      child('registry', registryActor, { config: options.registry ?? {} }),
      child('circuits', dynamicSupervisor({ child: circuitActor({ handoff, registry: `${at}/registry`, ...(options.tap ? { tap: options.tap } : {}) }), restart: 'temporary', maxChildren: maxCircuits, shutdown: CIRCUIT_SHUTDOWN_MS })),
      child('listener', listenerActor({ handoff }), {
        config: {
          ...options.listener,
          ...(options.tcp ? { tcp: options.tcp } : {}),
          ...(options.tls ? { tls: options.tls } : {}),
          registry: `${at}/registry`,
          circuits: `${at}/circuits`,
        },
      }),
    ],
  });
}
