/**
 * `airlock/rendezvous`: private rendezvous buckets (after SimpleX's private rendezvous proposal).
 * An initiator stores a connection link sealed under a passphrase (Argon2id, then secretbox,
 * padded to 240 bytes); the server puts it in a bucket of at most 64 and answers the bucket's id;
 * the accepter asks for the bucket by the id's hash only and tries each link with the passphrase.
 * The server never sees a plaintext link or a passphrase, nor which link is whose.
 *
 * What composing and using the design takes (pinned by spec/face.spec.ts): the tree, its actors'
 * protocols and configs, the two stores, the client library, the wire functions and the errors.
 */
export { rendezvousTree, type RendezvousOptions } from './tree.ts';
export {
  RendezvousEndpointConfig,
  RendezvousEndpointProtocol,
  RendezvousProtocol,
  RendezvousServerConfig,
  REFUSALS,
  rendezvousEndpointActor,
  rendezvousServerActor,
  type RefusalCode,
  type RendezvousEndpointConfigInput,
  type RendezvousServerConfigInput,
} from './server/index.ts';
export { MemoryBucketStore, PostgresBucketStore, type AddResult, type BucketStore, type Queryable, type StoredLink } from './store/index.ts';
export {
  actorRendezvous,
  checkBucketId,
  findLink,
  httpRendezvous,
  storeLink,
  type BucketTolerance,
  type FoundLink,
  type HttpRendezvousOptions,
  type Invitation,
  type RendezvousServer,
  type StoreLinkOptions,
} from './client/index.ts';
export {
  bucketHash,
  decodeBucketId,
  DEFAULT_STRENGTH,
  INSECURE_TEST_STRENGTH,
  openLink,
  sealLink,
  type BucketId,
  type ConnectionLink,
  type KdfStrength,
} from './wire/index.ts';
export { BucketFingerprintError, BucketRefusedError, ConnectionLinkError, RendezvousUnavailableError, StoreUnavailableError } from './errors.ts';
export { MAX_LINKS_PER_BUCKET, SEALED_LINK_BYTES } from './limits.ts';
