import type { ActorRef } from '../../../lib/actor-ref.ts';
import { AskTimeoutError } from '../../../lib/errors.ts';
import type { EdgeBounds } from './edge-bounds.ts';
import type { RefusalReason } from '../metrics/registrar-metrics.ts';
import type { OracleProtocol, RegisterReply, RegisterRequest } from '../oracle/protocol.ts';
import { clientBodyKind, decodeSealedBody, SnowflakeMessageError, type ClientPollResponse } from '../wire/index.ts';
import { HOP_DELIVERY, STR_BROKER_UNAVAILABLE, STR_TIMED_OUT, STR_UNSUPPORTED_VERSION } from '../limits.ts';

/** What a registrar makes of a client body: the Oracle's reply, or its own refusal. */
export type Forwarded = { reply: RegisterReply } | { refused: RefusalReason; response: ClientPollResponse };

/**
 * Reads only the version line of a client body (1.0 or 2.0) and forwards the rest unopened: a
 * 2.0 body's sealed bytes, a 1.0 body as the string it is. A registrar never parses a
 * registration; what it cannot forward it answers itself with Snowflake's error text.
 */
export function forwardClientBody(oracle: ActorRef<OracleProtocol>, body: string, bounds: EdgeBounds, timeoutMs: number): Promise<Forwarded> {
  let request: RegisterRequest;
  try {
    request = clientBodyKind(body) === '2.0' ? { version: '2.0', sealed: decodeSealedBody(body) } : { version: '1.0', body };
  } catch (error) {
    if (!(error instanceof SnowflakeMessageError)) throw error;
    const refused = error.reason === STR_UNSUPPORTED_VERSION ? 'wrong-version' : 'malformed';
    bounds.refuse(refused);
    return Promise.resolve({ refused, response: { error: error.reason } });
  }
  return forwardRequest(oracle, request, bounds, timeoutMs);
}

/** Asks the Oracle; its silence or absence ends as a typed timeout or "unavailable", never a hang. */
export function forwardRequest(oracle: ActorRef<OracleProtocol>, request: RegisterRequest, bounds: EdgeBounds, timeoutMs: number): Promise<Forwarded> {
  bounds.metrics.registration(request.version);
  return oracle.ask('register', request, { timeoutMs, delivery: HOP_DELIVERY }).then(
    (reply) => ({ reply }),
    (error: unknown) => {
      bounds.refuse('unavailable');
      return { refused: 'unavailable', response: { error: error instanceof AskTimeoutError ? STR_TIMED_OUT : STR_BROKER_UNAVAILABLE } };
    },
  );
}

/** The ClientPollResponse a client receives (the Oracle's `refused` stays inside). */
export function clientResponse(forwarded: Forwarded): ClientPollResponse {
  if ('refused' in forwarded) return forwarded.response;
  const { refused: _refused, ...response } = forwarded.reply;
  return response;
}
