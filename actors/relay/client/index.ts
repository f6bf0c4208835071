/** The relay's client library: C attaches (reserves, renews, accepts), B connects; both end to end over TLS 1.3. */
export { attach, Attachment, type AttachOptions, type AttachmentEvents } from './attach.ts';
export { connect, type ConnectOptions } from './connect.ts';
export type { RelayedStream } from './end-to-end.ts';
export { IdentityMismatchError, RelayRefusedError, RelayUnavailableError } from './errors.ts';
export type { ClientPorts, PartyTls, RelayHint } from './relay-hint.ts';
