/** One QueueConsumer per remote peer: acks a local message only once the far side accepted it. */
export { queueConsumerActor, QueueConsumerConfig } from './queue-consumer.ts';
export { OutboundProtocol } from './protocol.ts';
