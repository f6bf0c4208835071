import { decodeClientPollResponse, encodeClientPollRequest, type NatType } from '../wire/index.ts';
import { realClock } from '../../../lib/ports/clock.ts';
import type { OraclePublicKeys } from '../oracle/keys.ts';
import { RendezvousRefusedError } from './errors.ts';
import { sealRegistration } from './seal-registration.ts';
import { verifyAnswer } from './verify-answer.ts';

/** What a client registers: its WebRTC offer, its NAT type and the bridge it wants. */
export interface RendezvousOffer {
  offer: string;
  nat: NatType;
  /** Defaults to Snowflake's default bridge. */
  fingerprint?: string;
}

/** The answer of a matched proxy; `signed` is true when it came as a 2.0 answer that verified. */
export interface RendezvousAnswer {
  answer: string;
  signed: boolean;
}

/** A registration ready to be sent by any method, and how to read what comes back for it. */
export interface PreparedRegistration {
  /** The `POST /client` body: `"1.0\n" + JSON`, or `"2.0\n" + base64(sealed box)`. */
  body: string;
  /** The sealed box alone (2.0 only): what the DNS method carries. */
  sealed: Uint8Array | undefined;
  /** Decodes (and for 2.0 verifies) a ClientPollResponse; throws on a broker error or a bad signature. */
  read(responseText: string): RendezvousAnswer;
}

/**
 * Builds a 1.0 registration when `oracle` is absent (today's Tor clients), else a sealed 2.0 one
 * whose answer must carry the Oracle's signature over this registration's nonce.
 */
export function prepareRegistration(offer: RendezvousOffer, oracle?: OraclePublicKeys, nowMs: number = realClock.now()): PreparedRegistration {
  if (!oracle) {
    return { body: encodeClientPollRequest(offer), sealed: undefined, read: (text) => answerOf(decodeClientPollResponse(text), false) };
  }
  const { body, sealed, nonce } = sealRegistration(offer, oracle.box, nowMs);
  return { body, sealed, read: (text) => answerOf(verifyAnswer(text, nonce, oracle.sign), true) };
}

function answerOf(response: { answer?: string; error?: string }, signed: boolean): RendezvousAnswer {
  if (response.error || !response.answer) throw new RendezvousRefusedError(response.error ?? 'empty answer');
  return { answer: response.answer, signed };
}
