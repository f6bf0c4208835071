/**
 * airlock's public API: what a user writes topologies with. Optional parts have their own
 * subpaths (`airlock/rabbitmq`, `airlock/amqp10`, `airlock/sim`); what the layers share among
 * themselves stays internal (internal.ts).
 */

// Protocols, actors, machines.
export { defineProtocol, type Protocol, type AnyProtocol, type MessageType, type Message, type Body, type Reply } from './lib/protocol.ts';
export { defineActor, defineMachineActor, type ActorDefinition, type Handlers, type MachineEvent } from './lib/actor.ts';
export { withConfig, type ConfigSchema } from './lib/actor-config.ts';
export { serveHttp, type HttpService, type HttpServeOptions, type HttpHandler } from './lib/http-actor.ts';
export { replyWith } from './lib/machine-reply.ts';
export type { ActorContext, Timers } from './lib/context.ts';
export type { DynamicChild, DynamicChildStart, DynamicSupervisorHandle } from './lib/dynamic-children.ts';
export type { SpawnOptions } from './lib/spawned-children.ts';
export type { Delivery, Envelope, Headers, HeaderValue } from './lib/envelope.ts';

// Addresses, refs, the system and its events.
export { address, type Address } from './lib/address.ts';
export type { ActorRef, AskOptions, SendOptions } from './lib/actor-ref.ts';
export type { ActorSystem, SystemOptions, StopOptions } from './lib/system.ts';
export type { SystemEvent, SystemEventKind, EventOf } from './lib/events.ts';
export type { Restart, Shutdown, ChildStatus } from './lib/child.ts';
export type { ExitReason } from './lib/events.ts';
export type { MailboxOptions, OverflowPolicy, Transport } from './lib/ports/transport.ts';
export type { Logger } from 'pino';

// Supervision, topology, run.
export { child, type ChildSpec, type ChildOptions } from './supervisors/child-spec.ts';
export { supervisor, dynamicSupervisor, type SupervisorSpec, type SupervisorOptions, type DynamicSupervisorOptions } from './supervisors/supervisor-spec.ts';
export type { Strategy } from './supervisors/strategies.ts';
export type { BackoffOptions } from './lib/backoff.ts';
export type { IntensityOptions } from './lib/restart-intensity.ts';
export { defineTopology, type Topology, type NodeSpec } from './node/topology.ts';
export { createSystem, run, RunningTopology, type RunOptions, type RootFailure } from './node/run.ts';

// Ports: everything nondeterministic.
export { realPorts, type Ports } from './lib/ports/index.ts';
export { realClock, type Clock, type Timer } from './lib/ports/clock.ts';
export { VirtualClock } from './lib/ports/virtual-clock.ts';
export { realRandom, seededRandom, type Random } from './lib/ports/random.ts';
export { realNetwork } from './lib/ports/real-network.ts';
export type { Network, Connection, Listener, DatagramSocket, HostPort } from './lib/ports/network.ts';
export type { Links, LinkSession, LinkSender, LinkReceiver, LinkDelivery, PeerIdentity, TlsMaterial } from './lib/ports/links.ts';

// Errors.
export {
  AirlockError,
  errorMessage,
  AskTimeoutError,
  UnknownAddressError,
  ActorStoppedError,
  ActorCrashedError,
  DeliveryAttemptsExceededError,
  MailboxFullError,
  UnknownMessageTypeError,
  InvalidMessageError,
  MalformedFrameError,
  OversizedMessageError,
  InvalidAddressError,
  InvalidSpecError,
  NoReplyError,
  SystemStoppedError,
} from './lib/errors.ts';
export { defineWireErrors, registerErrors, type ErrorRegistry, type RegisteredErrors } from './lib/wire-errors.ts';
export { NotSupervisedError, DuplicateChildError, ChildRunningError, TooManyChildrenError, NotADynamicSupervisorError } from './supervisors/errors.ts';

// Transports: connect functions (the rest of each is a subpath).
export { connectRabbit, type RabbitOptions } from './transports/rabbitmq/index.ts';
