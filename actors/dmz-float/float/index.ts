/** The Float: the DMZ's stateless AMQP 1.0 front door (its public key arrives over the tunnel). */
export { float } from './float.ts';
export { FloatConfig, type FloatConfigInput } from './config.ts';
export { FloatProtocol } from './protocol.ts';
export { Activation, ActivationRefusedError, DEFAULT_MAX_MESSAGE_BYTES, TUNNEL, FORWARDED, type ActivationInput } from '../tunnel/activation.ts';
export { AuditLog, type AuditEvent, type AuditWriter, type LatencyFigures } from './audit-log.ts';
