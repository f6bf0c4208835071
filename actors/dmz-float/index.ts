/**
 * `airlock/dmz-float`: Corda's float design as supervised actors. A stateless Float in the DMZ
 * accepts authenticated AMQP 1.0 over mutual TLS and forwards over a tunnel the internal
 * BridgeManager dialled; a QueueConsumer per remote peer moves outbound messages and acks each
 * only once the far side has it; the bridge control protocol keeps them in step.
 */
export * from './float/index.ts';
export * from './bridge-manager/index.ts';
export * from './queue-consumer/index.ts';
export * from './bridge-control/index.ts';
