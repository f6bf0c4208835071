import type { Address } from './address.ts';
import type { Random } from './ports/random.ts';

/**
 * Reply addresses: where the answers to a system's asks come back (`$replies/<token>`). Only a
 * system makes them, for its own pending asks; no actor lives under the prefix, so a reply can
 * never land in an actor's mailbox. The token is a fresh id from the Random port: unguessable on
 * the real port, and unrelated to any envelope id a peer may see.
 */
export const REPLY_PREFIX = '$replies/';

/**
 * The longest reply address accepted. Far below AMQP's 255-byte limit on queue names and routing
 * keys, leaving the namespace (`<namespace>:$replies/<token>`) room.
 */
export const MAX_REPLY_ADDRESS_LENGTH = 64;

const TOKEN = /^[A-Za-z0-9_-]{16,}$/;

/** A new reply address for one system. */
export function newReplyAddress(random: Random): Address {
  return REPLY_PREFIX + random.id();
}

/** Whether `address` has the shape and length of a reply address a system issues. */
export function isReplyAddress(address: string): boolean {
  return address.length <= MAX_REPLY_ADDRESS_LENGTH && address.startsWith(REPLY_PREFIX) && TOKEN.test(address.slice(REPLY_PREFIX.length));
}

/** Whether `address` lies in the space reserved for reply addresses, well-formed or not. */
export function inReplySpace(address: string): boolean {
  return address.startsWith(REPLY_PREFIX);
}
