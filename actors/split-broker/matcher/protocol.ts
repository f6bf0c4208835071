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
  /** Names this one poll (the registrar draws it), so that `withdrawPoll` takes back this poll and never a later one of the same proxy. */
  ticket: z.string().min(1).max(64).optional(),
});

/** The registrar's client hung up on a poll still waiting: it must not be handed a client any more. */
export const WithdrawPoll = z.strictObject({ sid: z.string().min(1), ticket: z.string().min(1).max(64) });

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
 * The Matcher's protocol. Proxy traffic (`proxyPoll`, `withdrawPoll`, `answer`) comes straight
 * from the registrars, since it carries no secret; `clientOffer` comes only from the Oracle.
 */
export const MatcherProtocol = defineProtocol('matcher', {
  proxyPoll: { body: ProxyPoll, reply: ProxyPollReply },
  withdrawPoll: { body: WithdrawPoll },
  clientOffer: { body: ClientOffer, reply: ClientOfferReply },
  answer: { body: z.strictObject({ sid: z.string().min(1), answer: z.string().min(1) }), reply: z.enum(['success', 'client gone']) },
});
export type MatcherProtocol = typeof MatcherProtocol;
