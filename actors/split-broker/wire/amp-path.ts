import { RegistrationEncodingError } from './errors.ts';

/** Bytes of random cache-breaker before the data, as Snowflake's `amp.EncodePath`. */
export const CACHE_BREAKER_BYTES = 9;

const fail = (reason: string) => new RegistrationEncodingError('amp-path', reason);

/**
 * Encodes data as the suffix of an AMP cache URL: `"0" + base64url(cacheBreaker) + "/" +
 * base64url(data)`, unpadded. The cache breaker makes every request a cache miss; the caller
 * passes fresh random bytes (e.g. sodium's randombytes_buf).
 */
export function encodeAmpPath(data: Uint8Array, cacheBreaker: Uint8Array): string {
  return `0${Buffer.from(cacheBreaker).toString('base64url')}/${Buffer.from(data).toString('base64url')}`;
}

/**
 * Decodes a path as Snowflake's `amp.DecodePath`: the `0` format indicator, then anything up to
 * and including the last `/`, then unpadded base64url (CR and LF ignored, as Go does).
 */
export function decodeAmpPath(path: string): Uint8Array {
  if (path.length < 1) throw fail('missing format indicator');
  const version = path[0];
  if (version !== '0') throw fail(`unknown format indicator '${version}'`);
  const slash = path.lastIndexOf('/');
  if (slash < 1) throw fail('missing data');
  const text = path.slice(slash + 1).replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw fail('illegal base64 data');
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
