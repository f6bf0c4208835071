/** The relay's edge: the listener actor, its handshake routing and its bounds. */
export { ListenerConfig, listenerActor, type ListenerConfigInput } from './listener-actor.ts';
export { ListenerProtocol, ListenerStatus } from './protocol.ts';
