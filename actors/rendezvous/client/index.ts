/** The client library: store a link (with the fingerprinting check), find and open one by bucket hash and passphrase, over HTTP or actor messages. */
export { checkBucketId, type BucketTolerance } from './bucket-check.ts';
export { actorRendezvous } from './actor-link.ts';
export { httpRendezvous, type HttpRendezvousOptions } from './http-link.ts';
export { findLink, storeLink, type FoundLink, type Invitation, type StoreLinkOptions } from './rendezvous-client.ts';
export type { RendezvousServer } from './server-link.ts';
