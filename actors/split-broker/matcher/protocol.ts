import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';
import { NAT_TYPES } from '../wire/nat.ts';

const Nat = z.enum(NAT_TYPES);

/** A decoded v1.3 proxy poll (the registrar decodes Snowflake's JSON; no secret in it). */
export const ProxyPoll = z.strictObject({
  sid: z.string().min(1),
  version: z.string(),
  type: z.string(),
  nat: Nat,
  clients: z.number().int().nonnegative(),
  acceptedRelayPattern: z.string().nullable(),
});

export const ProxyPollReply = z.union([
  z.strictObject({ status: z.literal('client match'), offer: z.string(), nat: Nat, relayURL: z.string() }),
  z.strictObject({ status: z.enum(['no match', 'incorrect relay pattern']) }),
]);

/** A client's registration in plaintext: only the Oracle sends it, after opening or validating it. */
export const ClientOffer = z.strictObject({
  offer: z.string().min(1),
  nat: Nat,
  fingerprint: z.string(),
});

/** Exactly one of an answer or one of Snowflake's error strings. */
export const ClientOfferReply = z.union([z.strictObject({ answer: z.string() }), z.strictObject({ error: z.string() })]);

/**
 * The Matcher's protocol. Proxy traffic (`proxyPoll`, `answer`) comes straight from the
 * registrars, since it carries no secret; `clientOffer` comes only from the Oracle.
 */
export const MatcherProtocol = defineProtocol('matcher', {
  proxyPoll: { body: ProxyPoll, reply: ProxyPollReply },
  clientOffer: { body: ClientOffer, reply: ClientOfferReply },
  answer: { body: z.strictObject({ sid: z.string().min(1), answer: z.string().min(1) }), reply: z.enum(['success', 'client gone']) },
});
export type MatcherProtocol = typeof MatcherProtocol;
