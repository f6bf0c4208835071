/**
 * `airlock/relay`: the ciphertext relay (Foolscap's server-side per-Tub ciphertext proxy, with
 * libp2p circuit relay v2's reservations and limits). A party C behind NAT attaches to a public
 * relay under its identity (the hash of its certificate's key); a party B connects to C through
 * it; the relay only copies bytes between the two streams, and B and C run TLS 1.3 end to end
 * over them with C's key pinned, so the relay sees only ciphertext and cannot alter it unseen.
 *
 * What composing and using the design takes (pinned by spec/face.spec.ts): the tree and its
 * actors' protocols and configs, the client library, the status codes and identities.
 */
export { relayTree, type RelayOptions } from './tree.ts';
export { registryActor, RegistryConfig, RegistryProtocol, type RegistryConfigInput, type RegistryFigures, type CircuitEnd } from './registry/index.ts';
export { ListenerConfig, ListenerProtocol, type ListenerConfigInput } from './listener/index.ts';
export { CircuitProtocol, type CircuitTap, type Direction } from './circuit/index.ts';
export {
  attach,
  Attachment,
  connect,
  IdentityMismatchError,
  RelayRefusedError,
  RelayUnavailableError,
  type AttachOptions,
  type AttachmentEvents,
  type ClientPorts,
  type ConnectOptions,
  type PartyTls,
  type RelayedStream,
  type RelayHint,
} from './client/index.ts';
export { STATUS, identityOf, isIdentity, type Grant, type Identity, type RefusalCode, type StatusName } from './wire/index.ts';
