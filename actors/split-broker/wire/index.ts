/**
 * Snowflake's broker wire formats (as of Snowflake 2.5's `common/messages`), shared by the
 * registrars, the matcher and the client library: proxy protocol 1.3, client protocol 1.0 and
 * its legacy form, and airlock's sealed 2.0 registration.
 */
export { SnowflakeMessageError, type SnowflakeMessageKind } from './errors.ts';
export { NAT_TYPES, parseNat, type NatType } from './nat.ts';
export { RelayPattern } from './relay-pattern.ts';
export {
  ANSWER_CLIENT_GONE,
  ANSWER_SUCCESS,
  KNOWN_PROXY_TYPES,
  PROXY_CLIENT_MATCH,
  PROXY_INCORRECT_RELAY_PATTERN,
  PROXY_NO_MATCH,
  PROXY_PROTOCOL_VERSION,
  UNKNOWN_PROXY_TYPE,
  decodeAnswerRequest,
  decodeAnswerResponse,
  decodeProxyPollRequest,
  decodeProxyPollResponse,
  encodeAnswerRequest,
  encodeAnswerResponse,
  encodeNoMatch,
  encodeProxyMatch,
  encodeProxyPollRequest,
  type AnswerRequest,
  type AnswerStatus,
  type ProxyMatch,
  type ProxyPollRequest,
  type ProxyPollResponse,
} from './proxy-messages.ts';
export {
  DEFAULT_BRIDGE_FINGERPRINT,
  PLAIN_CLIENT_VERSION,
  SEALED_CLIENT_VERSION,
  clientBodyKind,
  decodeClientPollRequest,
  decodeClientPollResponse,
  decodeSealedBody,
  encodeClientPollRequest,
  encodeClientPollResponse,
  encodeSealedBody,
  isBridgeFingerprint,
  legacyClientPollRequest,
  legacyHttpResponse,
  validateClientPoll,
  type ClientBodyKind,
  type ClientPollRequest,
  type ClientPollResponse,
} from './client-messages.ts';
export { Registration, signedAnswerBytes } from './registration.ts';
