/** One actor per circuit: the byte pump (`Splice`) and the actor around it. */
export { Splice, type CircuitTap, type Direction, type SpliceOptions } from './splice.ts';
export { StreamHandoff, type PairedStreams } from './handoff.ts';
export { CircuitProtocol, CircuitStatus } from './protocol.ts';
export { circuitActor, type CircuitDeps } from './circuit-actor.ts';
