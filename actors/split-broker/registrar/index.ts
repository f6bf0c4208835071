/**
 * The registrars (edge zone), one actor per registration method, and their domain core: how
 * each method carries bytes (AMP cache path and armor, DNS labels and TXT answers). A registrar
 * never opens a registration: it checks the version line and size and forwards the sealed bytes.
 */
export { RegistrationEncodingError, type RegistrationEncoding } from '../wire/encoding-errors.ts';
export { CACHE_BREAKER_BYTES, decodeAmpPath, encodeAmpPath } from '../wire/amp-path.ts';
export { AMP_RESPONSE_HEADERS, BYTES_PER_CHUNK, ELEMENT_SIZE_LIMIT, decodeAmpArmor, encodeAmpArmor } from '../wire/amp-armor.ts';
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
} from '../wire/dns-registration.ts';
export { RegistrationReassembler, type ReassemblyLimits, type ReassemblyState } from './dns-reassembly.ts';
export { RegistrarProtocol } from './protocol.ts';
export { RegistrarConfig } from './registrar-config.ts';
export { TokenBuckets, type RateLimit } from './token-buckets.ts';
export { httpRegistrar } from './http-registrar.ts';
export { ampRegistrar } from './amp-registrar.ts';
export { DnsRegistrarConfig, dnsRegistrar } from './dns-registrar.ts';
