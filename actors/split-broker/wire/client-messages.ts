import { z } from 'zod';
import { SnowflakeMessageError } from './errors.ts';
import { decodeGoStruct, goMarshal } from './go-json.ts';
import { STR_BROKER_UNAVAILABLE, STR_NO_PROXIES, STR_TIMED_OUT, STR_UNSUPPORTED_VERSION } from '../limits.ts';
import { parseNat, type NatType } from './nat.ts';

/** Today's Tor clients: `"1.0\n" + JSON{offer, nat, fingerprint}`. */
export const PLAIN_CLIENT_VERSION = '1.0';
/** airlock's sealed registrations: `"2.0\n" + base64(crypto_box_seal(registration))`. */
export const SEALED_CLIENT_VERSION = '2.0';

/** The bridge a client means when it names none (Snowflake's default bridge). */
export const DEFAULT_BRIDGE_FINGERPRINT = '2B280B23E1107BB62ABFC40DDCC8824814F80A72';

export interface ClientPollRequest {
  offer: string;
  nat: NatType;
  fingerprint: string;
}

export interface ClientPollResponse {
  answer?: string;
  error?: string;
  /** airlock's extension (2.0): base64 Ed25519 signature binding the answer to the registration's nonce. */
  sig?: string;
}

const PollRequestWire = z.strictObject({
  offer: z.string().optional(),
  nat: z.string().optional(),
  fingerprint: z.string().optional(),
});

const PollResponseWire = z.strictObject({
  answer: z.string().optional(),
  error: z.string().optional(),
  sig: z.string().optional(),
});

/** A bridge fingerprint is the hex of 20 (RSA identity) or 32 (ed25519) bytes. */
export function isBridgeFingerprint(text: string): boolean {
  return /^(?:[0-9a-fA-F]{2}){20}$|^(?:[0-9a-fA-F]{2}){32}$/.test(text);
}

export function encodeClientPollRequest(request: { offer: string; nat: NatType; fingerprint?: string }): string {
  const fingerprint = request.fingerprint || DEFAULT_BRIDGE_FINGERPRINT;
  return `${PLAIN_CLIENT_VERSION}\n${goMarshal({ offer: request.offer, nat: request.nat, fingerprint })}`;
}

/** As Snowflake's DecodeClientPollRequest, with its error strings. */
export function decodeClientPollRequest(body: string): ClientPollRequest {
  const fail = (reason: string) => new SnowflakeMessageError('client-poll-request', reason);
  const newline = body.indexOf('\n');
  if (newline < 0 || body.slice(0, newline) !== PLAIN_CLIENT_VERSION) throw fail(STR_UNSUPPORTED_VERSION);
  const decoded = decodeGoStruct(PollRequestWire, body.slice(newline + 1));
  if (!decoded.ok) throw fail(decoded.reason);
  return validateClientPoll(decoded.value, fail);
}

/** The checks a decoded poll passes, whether it came in clear (1.0) or sealed (2.0). */
export function validateClientPoll(
  wire: { offer?: string; nat?: string; fingerprint?: string },
  fail: (reason: string) => Error,
): ClientPollRequest {
  if (!wire.offer) throw fail('no supplied offer');
  const fingerprint = wire.fingerprint || DEFAULT_BRIDGE_FINGERPRINT;
  if (!isBridgeFingerprint(fingerprint)) throw fail('cannot decode fingerprint');
  const nat = parseNat(wire.nat);
  if (nat === undefined) throw fail('invalid NAT type');
  return { offer: wire.offer, nat, fingerprint };
}

/** What kind of body reached `POST /client`; the registrar forwards it without reading further. */
export type ClientBodyKind = 'legacy' | typeof PLAIN_CLIENT_VERSION | typeof SEALED_CLIENT_VERSION;

/**
 * Reads only the version line. A body starting with `{` is Snowflake's legacy format (the bare
 * offer, NAT in the `Snowflake-NAT-Type` header, answered with HTTP status codes).
 */
export function clientBodyKind(body: string): ClientBodyKind {
  if (body.startsWith('{')) return 'legacy';
  const version = body.slice(0, Math.max(0, body.indexOf('\n')));
  if (version === PLAIN_CLIENT_VERSION || version === SEALED_CLIENT_VERSION) return version;
  throw new SnowflakeMessageError('client-poll-request', STR_UNSUPPORTED_VERSION);
}

/** The 1.0 request Snowflake builds from a legacy body, as its HTTP handler does. */
export function legacyClientPollRequest(body: string, natHeader: string | undefined): string {
  const fields = { offer: body, nat: natHeader ?? '', fingerprint: DEFAULT_BRIDGE_FINGERPRINT };
  return `${PLAIN_CLIENT_VERSION}\n${goMarshal(fields)}`;
}

/**
 * How Snowflake answers a legacy client: 200 with the bare answer, 503 when no proxy was
 * available, 504 on timeout. Tor's broker panics on any other error, dropping the connection;
 * airlock answers 500 only when it failed itself (the broker unavailable), and 400 with the reason
 * when the request was refused (a `Snowflake-NAT-Type` it does not know, a bridge it does not
 * serve), so a client can tell its own mistake from the broker's.
 */
export function legacyHttpResponse(response: ClientPollResponse): { status: number; body: string } {
  if (!response.error) return { status: 200, body: response.answer ?? '' };
  if (response.error === STR_NO_PROXIES) return { status: 503, body: '' };
  if (response.error === STR_TIMED_OUT) return { status: 504, body: '' };
  if (response.error === STR_BROKER_UNAVAILABLE) return { status: 500, body: '' };
  return { status: 400, body: response.error };
}

export function encodeSealedBody(sealed: Uint8Array): string {
  return `${SEALED_CLIENT_VERSION}\n${Buffer.from(sealed).toString('base64')}`;
}

/** The sealed bytes of a 2.0 body; strict standard base64 (no whitespace, canonical padding). */
export function decodeSealedBody(body: string): Uint8Array {
  const fail = (reason: string) => new SnowflakeMessageError('client-poll-request', reason);
  const prefix = `${SEALED_CLIENT_VERSION}\n`;
  if (!body.startsWith(prefix)) throw fail(STR_UNSUPPORTED_VERSION);
  const text = body.slice(prefix.length);
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw fail('sealed registration is not base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** `answer` and `error` are left out when empty, as Go's `omitempty`; `sig` follows them. */
export function encodeClientPollResponse(response: ClientPollResponse): string {
  const fields: Record<string, string> = {};
  if (response.answer) fields.answer = response.answer;
  if (response.error) fields.error = response.error;
  if (response.sig) fields.sig = response.sig;
  return goMarshal(fields);
}

export function decodeClientPollResponse(text: string): ClientPollResponse {
  const decoded = decodeGoStruct(PollResponseWire, text);
  if (!decoded.ok) throw new SnowflakeMessageError('client-poll-response', decoded.reason);
  const { answer, error, sig } = decoded.value;
  if (!answer && !error) throw new SnowflakeMessageError('client-poll-response', 'received empty broker response');
  return { ...(answer ? { answer } : {}), ...(error ? { error } : {}), ...(sig ? { sig } : {}) };
}
