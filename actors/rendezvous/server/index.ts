/** The server: its rules (`BucketRules`, transport-free), its actor and protocol, its HTTP endpoint. */
export { BucketRules, DEFAULT_BUCKET_LIMITS, type BucketFigures, type BucketLimits, type Placement } from './bucket-rules.ts';
export { FetchReply, RendezvousProtocol, ServerStatus, StoreReply } from './protocol.ts';
export { RendezvousServerConfig, rendezvousServerActor, type RendezvousServerConfigInput } from './server-actor.ts';
export { RendezvousEndpointConfig, RendezvousEndpointProtocol, rendezvousEndpointActor, type RendezvousEndpointConfigInput } from './http-endpoint.ts';
export { REFUSAL_CODES, REFUSALS, isRefusalCode, type RefusalCode } from './refusals.ts';
