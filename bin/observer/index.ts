// The observer's face: what `airlock observe` is made of, for the bench and for hosts that embed it.
export { startObserver, socketOption, type ObservedNodes, type ObserverOptions, type RunningObserver } from './start-observer.ts';
export { ObservedSystem, type Change, type NodeView, type ObservedSystemOptions, type Snapshot } from './observed-system.ts';
export { ObserverServer, type AuditRecord, type ObserverServerOptions } from './observer-server.ts';
export { ObserverAuth, CSRF_HEADER, SESSION_COOKIE, TOKEN_COOKIE, type Caller } from './observer-auth.ts';
export { connectorSource, NODE_ACTIONS, type NodeAction, type NodeSource } from './node-source.ts';
export { brokerDeadLetters, type DeadLetterSource } from './dead-letter-source.ts';
export type { ActorRow } from './actor-row.ts';
export type { ObservedEvent } from './observed-event.ts';
export { ObserverRefusedError, BadActionError, type RefusalCode } from './errors.ts';
export * from './observer-limits.ts';
