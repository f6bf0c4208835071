/**
 * The plaintext of a sealed link: where the parties will talk (the messaging server's host and
 * port) and the link id there, padded with zeros to PLAINTEXT_BYTES so every link has one size:
 *
 *   offset   size  field
 *   0        1     h: host length, 1..128
 *   1        h     host, ASCII: letters, digits, `.`, `-`, `:`, `[`, `]` (a name, IPv4, or [IPv6])
 *   1+h      2     port, u16 big-endian, 1..65535
 *   3+h      1     n: link id length, 1..128
 *   4+h      n     link id, ASCII: letters, digits, `-`, `_`, `.`, `~` (URL-safe)
 *   4+h+n    …     zeros to byte 183
 */
import { ConnectionLinkError } from '../errors.ts';
import { MAX_HOST_BYTES, MAX_LINK_ID_BYTES, PLAINTEXT_BYTES } from '../limits.ts';

/** Where the two parties will meet: a messaging server and the link id there. */
export interface ConnectionLink {
  host: string;
  port: number;
  linkId: string;
}

const HOST = /^[A-Za-z0-9.:[\]-]+$/;
const LINK_ID = /^[A-Za-z0-9._~-]+$/;
/** Fixed fields: host length, port, link id length. */
const FIXED_BYTES = 4;

/** Why `link` cannot be carried, or undefined when it can. */
function problemWith(link: ConnectionLink): string | undefined {
  if (typeof link.host !== 'string' || link.host.length === 0 || link.host.length > MAX_HOST_BYTES || !HOST.test(link.host)) return `host must be 1..${MAX_HOST_BYTES} characters of [A-Za-z0-9.:[]-]`;
  if (!Number.isInteger(link.port) || link.port < 1 || link.port > 65_535) return 'port must be 1..65535';
  if (typeof link.linkId !== 'string' || link.linkId.length === 0 || link.linkId.length > MAX_LINK_ID_BYTES || !LINK_ID.test(link.linkId)) return `link id must be 1..${MAX_LINK_ID_BYTES} characters of [A-Za-z0-9._~-]`;
  if (FIXED_BYTES + link.host.length + link.linkId.length > PLAINTEXT_BYTES) return `host and link id together must fit in ${PLAINTEXT_BYTES - FIXED_BYTES} bytes`;
  return undefined;
}

/** The padded plaintext; throws ConnectionLinkError for a link outside the format. */
export function encodeConnectionLink(link: ConnectionLink): Buffer {
  const problem = problemWith(link);
  if (problem) throw new ConnectionLinkError(problem);
  const bytes = Buffer.alloc(PLAINTEXT_BYTES);
  let at = bytes.writeUInt8(link.host.length, 0);
  at += bytes.write(link.host, at, 'ascii');
  at = bytes.writeUInt16BE(link.port, at);
  at = bytes.writeUInt8(link.linkId.length, at);
  bytes.write(link.linkId, at, 'ascii');
  return bytes;
}

/** The link in a padded plaintext, or undefined when the bytes are not one (wrong lengths, characters, or padding). */
export function decodeConnectionLink(bytes: Uint8Array): ConnectionLink | undefined {
  if (bytes.length !== PLAINTEXT_BYTES) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const hostLength = view[0]!;
  if (FIXED_BYTES + hostLength > PLAINTEXT_BYTES) return undefined;
  const host = view.toString('ascii', 1, 1 + hostLength);
  const port = view.readUInt16BE(1 + hostLength);
  const idLength = view[3 + hostLength]!;
  const end = FIXED_BYTES + hostLength + idLength;
  if (end > PLAINTEXT_BYTES || view.subarray(end).some((byte) => byte !== 0)) return undefined;
  const link = { host, port, linkId: view.toString('ascii', FIXED_BYTES + hostLength, end) };
  return problemWith(link) === undefined ? link : undefined;
}
