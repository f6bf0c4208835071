/** One QueueConsumer per remote peer: acks a local message only once the far side accepted it. */
export { queueConsumer, QueueConsumerConfig } from './queue-consumer.ts';
