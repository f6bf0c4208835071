/** The bridge control protocol (QueueQuery, QueueSnapshot, BridgeRequest) and the node's inbox registry. */
export { BridgeControlProtocol, OutboundQueue, RemotePeer, bridgeControlTransient, outboundQueueOf } from './protocol.ts';
export { inboxRegistryActor, InboxRegistryConfig } from './inbox-registry.ts';
