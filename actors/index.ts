/**
 * The domain actors of the designs airlock ships, each in its own folder with its protocol.ts and
 * actor file, importing only `lib` and reaching sockets and links through the Network and Links
 * ports. Each design is published on its own subpath, not on this face:
 * - the split broker (registrar, oracle, matcher, with the node's ops listener and metrics):
 *   `airlock/split-broker` (../split-broker.ts);
 * - the DMZ float (float, bridge-manager, queue-consumer, bridge-control): examples/dmz-float
 *   composes them.
 * The relay and rendezvous designs arrive with their own issues.
 */
export {};
