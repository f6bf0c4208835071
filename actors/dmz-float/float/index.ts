/** The Float: the DMZ's stateless AMQP 1.0 front door (its public key arrives over the tunnel). */
export { floatActor } from './float.ts';
export { FloatConfig, type FloatConfigInput } from './config.ts';
export { FloatProtocol, FloatStatusReply } from './protocol.ts';
export { AuditLog, type AuditEvent, type AuditWriter, type LatencyFigures } from './audit-log.ts';
