/**
 * The domain actors of the designs airlock ships. The split broker (registrar, oracle, matcher,
 * with the node's ops listener and metrics) is built: each in its own folder with its protocol.ts
 * and actor file, importing only `lib` and reaching sockets through the Network port. It is
 * published on its own subpath, `airlock/split-broker` (../split-broker.ts), not on this face.
 * The DMZ float (float, bridge-manager, queue-consumer), relay and rendezvous arrive with their
 * own issues.
 */
export {};
