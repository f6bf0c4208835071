/**
 * The registrars' domain core: how each registration method carries bytes (AMP cache path and
 * armor, DNS labels and TXT answers). A registrar never opens a registration: it checks the
 * version line and size and forwards the sealed bytes.
 */
export { RegistrationEncodingError, type RegistrationEncoding } from './errors.ts';
export { CACHE_BREAKER_BYTES, decodeAmpPath, encodeAmpPath } from './amp-path.ts';
export { AMP_RESPONSE_HEADERS, BYTES_PER_CHUNK, ELEMENT_SIZE_LIMIT, decodeAmpArmor, encodeAmpArmor } from './amp-armor.ts';
