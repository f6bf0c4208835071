/**
 * The split broker's wire formats, shared by the registrars, the matcher and the client library:
 * Snowflake's broker messages (as of Snowflake 2.5's `common/messages`: proxy protocol 1.3,
 * client protocol 1.0 and its legacy form, in proxy-messages.ts and client-messages.ts), its NAT
 * rules (nat.ts) and relay patterns, airlock's sealed 2.0 registration (registration.ts), and how
 * the AMP-cache and DNS methods carry bytes (amp-path.ts, amp-armor.ts, dns-registration.ts).
 */
export { RegistrationEncodingError, SnowflakeMessageError, type RegistrationEncoding, type SnowflakeMessageKind } from './errors.ts';
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
export { CACHE_BREAKER_BYTES, decodeAmpPath, encodeAmpPath } from './amp-path.ts';
export { AMP_RESPONSE_HEADERS, BYTES_PER_CHUNK, ELEMENT_SIZE_LIMIT, decodeAmpArmor, encodeAmpArmor } from './amp-armor.ts';
export {
  DEFAULT_CHUNK_BYTES,
  DnsRegistrationError,
  base32Decode,
  base32Encode,
  decodeRegistrationQuery,
  decodeRegistrationResponse,
  encodeRegistrationQuery,
  encodeRegistrationResponse,
  parseRegistrationName,
  registrationQueryNames,
  toTxtStrings,
  type DnsRcode,
  type RegistrationChunk,
} from './dns-registration.ts';
export { DnsTcpFrames, frameDnsMessage } from './dns-tcp-frames.ts';
