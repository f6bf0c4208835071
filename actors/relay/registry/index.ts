/** The registry: reservations and circuit slots (`Registry`, transport-free) and the actor that wraps it. */
export { DEFAULT_REGISTRY_LIMITS, Registry, type CircuitEnd, type RegistryFigures, type RegistryLimits } from './reservations.ts';
export { OpenCircuitReply, RegistryProtocol, RegistryStatus, ReserveReply } from './protocol.ts';
export { RegistryConfig, registryActor, type RegistryConfigInput } from './registry-actor.ts';
