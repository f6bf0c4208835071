import { randomBytes } from 'node:crypto';
import type { ControlKey } from './control-key.ts';
import type { ControlAction, ControlAuth, ControlRequestType } from './control-protocol.ts';

/** Names what is signed, so a MAC made for anything else never verifies here. */
const DOMAIN = 'airlock.control.v1';
const NONCE_BYTES = 16;

/** The fields a control request's MAC covers. */
export interface SignedFields {
  node: string;
  type: ControlAction;
  address: string;
  timestamp: number;
  nonce: string;
  /** A new dynamic child's config (JSON text): signed when present, so it cannot be swapped in transit. */
  config?: string;
}

/**
 * The canonical bytes of a request: each field as a 4-byte length then its UTF-8, so no two
 * different requests encode alike (`a/b`+`c` never collides with `a`+`b/c`); a config is a
 * seventh field, so a request with one never encodes like a request without.
 */
export function canonicalRequest(fields: SignedFields): Buffer {
  const texts = [DOMAIN, fields.node, fields.type, fields.address, String(fields.timestamp), fields.nonce];
  if (fields.config !== undefined) texts.push(fields.config);
  const parts = texts.map((text) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    return Buffer.concat([length, bytes]);
  });
  return Buffer.concat(parts);
}

/** The authenticator of a request to `node`, signed at `now` with a fresh random nonce. */
export function signRequest(key: ControlKey, node: string, type: ControlAction, address: string, now: number, config?: string): ControlAuth {
  const nonce = randomBytes(NONCE_BYTES).toString('hex');
  const mac = key.mac(canonicalRequest({ node, type, address, timestamp: now, nonce, ...(config === undefined ? {} : { config }) })).toString('hex');
  return { timestamp: now, nonce, mac };
}

export function isControlAction(type: ControlRequestType): type is ControlAction {
  return type !== 'status' && type !== 'stats' && type !== 'events';
}

/**
 * The body to send: a state-changing request gets an authenticator for `node` (replacing any
 * it carried); `status`, `stats` and `events` are read-only and go as they are.
 */
export function authorizeBody(key: ControlKey, node: string, type: ControlRequestType, body: unknown, now: number): unknown {
  if (!isControlAction(type)) return body;
  const { address, config } = body as { address: string; config?: unknown };
  return { ...(body as object), auth: signRequest(key, node, type, address, now, typeof config === 'string' ? config : undefined) };
}
