/**
 * `airlock/split-broker`: Tor Snowflake's broker split into supervised actors. Registrars (edge
 * zone: http, amp, dns) forward sealed registrations to the Oracle (keyholder zone: the only key
 * holder), which hands plaintext to the Matcher (core zone) and signs the answer going back.
 * Here, what composing it takes: the three trees ready to be nodes, the actors with their
 * protocols and configs, the Oracle's key files, the timeouts and strings clients see. The client
 * library is `airlock/clients` (actors/split-broker/client), so a client loads no actor code. Each
 * node runs the /metrics listener of actors/ops, asked through `OpsProtocol`. This list is pinned
 * by spec/face.spec.ts.
 */
// The package ships these declarations (sodium-native has none) for the Oracle's key types.
/// <reference path="../../types/sodium-native.d.ts" preserve="true" />

// The three trust zones as supervision trees, ready to be the nodes of a topology.
export { splitBrokerNodes, type SplitBrokerNode, type SplitBrokerOptions } from './nodes.ts';
export { OpsProtocol } from '../ops/index.ts';

// The actors, their protocols and configs.
export { RegistrarConfig } from './registrar/registrar-config.ts';
export { RegistrarProtocol } from './registrar/protocol.ts';
export { httpRegistrarActor } from './registrar/http-registrar.ts';
export { ampRegistrarActor } from './registrar/amp-registrar.ts';
export { DnsRegistrarConfig, dnsRegistrarActor } from './registrar/dns-registrar.ts';
export { OracleConfig, oracleActor } from './oracle/oracle-actor.ts';
export { OracleProtocol, type RegisterReply, type RegisterRequest, type Refusal } from './oracle/protocol.ts';
export { MatcherConfig, matcherActor } from './matcher/matcher-actor.ts';
export { MatcherProtocol } from './matcher/protocol.ts';

// The Oracle's keys: written by `airlock keygen`, read by the keyholder, public half for clients.
export { encodePublicKeys, type OraclePublicKeys } from './oracle/keys.ts';
export { publicKeyPath, readPublicKeys, secretKeyPath, writeKeyDir } from './oracle/key-dir.ts';
export { KeyFileError, type KeyFileProblem } from './oracle/errors.ts';

// What Snowflake's peers report and send.
export { NAT_TYPES, type NatType } from './wire/nat.ts';
export { DEFAULT_BRIDGE_FINGERPRINT } from './wire/client-messages.ts';

// The timeout chain, the body limit and the strings clients compare (all of them in limits.ts).
export {
  CLIENT_REQUEST_TIMEOUT_MS,
  CLIENT_TIMEOUT_MS,
  DEFAULT_RELAY_PATTERN,
  MAX_REGISTRATION_BYTES,
  ORACLE_ASK_TIMEOUT_MS,
  PROXY_TIMEOUT_MS,
  REGISTRAR_ASK_TIMEOUT_MS,
  STR_BRIDGE_NOT_FOUND,
  STR_BROKER_UNAVAILABLE,
  STR_CANNOT_DECODE_PATH,
  STR_NO_PROXIES,
  STR_TIMED_OUT,
  STR_UNSUPPORTED_VERSION,
} from './limits.ts';
