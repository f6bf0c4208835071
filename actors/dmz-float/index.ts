/**
 * `airlock/dmz-float`: Corda's float design as supervised actors. A stateless Float in the DMZ
 * accepts authenticated AMQP 1.0 over mutual TLS and forwards over a tunnel the internal
 * BridgeManager dialled; a QueueConsumer per remote peer moves outbound messages and acks each
 * only once the far side has it; the bridge control protocol keeps them in step.
 *
 * What a user composing the design needs, and nothing else (pinned by
 * spec/face.spec.ts): the four actors, their protocols and configs, and the
 * audit log's types. The tunnel contract (`./tunnel/`) stays inside: the Float and the
 * BridgeManager speak it to each other, and a topology never touches it. Limits are the configs'
 * defaults (`./limits.ts`).
 */
export { floatActor, FloatConfig, FloatProtocol, FloatStatusReply, type FloatConfigInput } from './float/index.ts';
export type { AuditEvent, AuditWriter, LatencyFigures } from './float/index.ts';
export { bridgeManagerActor, BridgeManagerConfig, FloatEndpoint, PeerInboxProtocol, type BridgeManagerConfigInput } from './bridge-manager/index.ts';
export { queueConsumerActor, QueueConsumerConfig, OutboundProtocol } from './queue-consumer/index.ts';
export {
  inboxRegistryActor,
  InboxRegistryConfig,
  BridgeControlProtocol,
  OutboundQueue,
  RemotePeer,
  bridgeControlTransient,
  outboundQueueOf,
} from './bridge-control/index.ts';
export { ReconnectSettings, TlsSettings } from './links/link-settings.ts';
export { isFinalRefusal, isRefusal } from './links/link-errors.ts';
