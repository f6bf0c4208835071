/**
 * The domain actors of the designs airlock ships (split broker: registrar, oracle, matcher;
 * DMZ float: float, bridge-manager, queue-consumer; relay; rendezvous). Each lives in its own
 * folder with its protocol.ts and machine.ts, imports only `lib`, and reaches sockets through the
 * Network port. None is built yet: they arrive with their own issues.
 */
export {};
