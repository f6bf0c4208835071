/** The bridge control protocol (QueueQuery, QueueSnapshot, BridgeRequest) and the node's inbox registry. */
export { BridgeControl, Outbound, OutboundQueue, PeerInbox, RemotePeer, bridgeControlTransient, outboundQueueOf } from './protocol.ts';
export { inboxRegistry, InboxRegistryConfig } from './inbox-registry.ts';
export { ReconnectSettings, TlsSettings } from '../links/link-settings.ts';
