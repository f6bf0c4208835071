import { AirlockError } from '../../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../../lib/wire-errors.ts';

/** A 2.0 answer whose signature is missing or does not verify with the Oracle's key: do not use it. */
export class AnswerSignatureError extends AirlockError {
  constructor(reason: 'missing' | 'invalid') {
    super('ANSWER_SIGNATURE', `the broker's answer is not signed for this registration (${reason} signature)`);
  }
}

/** How a request to the broker (or to a registrar in front of it) failed before an answer could be read. */
export type BrokerFailure = 'network' | 'timeout' | 'status' | 'oversized' | 'refused';

/**
 * The broker could not be asked: unreachable (`network`), no response in time (`timeout`), an
 * HTTP status other than 200 (`status`, with `status` set), a response over the size bound
 * (`oversized`), or a DNS query answered with an RCODE (`refused`, with `rcode` set).
 */
export class BrokerRequestError extends AirlockError {
  readonly status: number | undefined;
  readonly rcode: string | undefined;

  constructor(
    readonly url: string,
    readonly failure: BrokerFailure,
    detail: string,
    extra: { status?: number; rcode?: string; cause?: unknown } = {},
  ) {
    super('BROKER_REQUEST', `broker request to ${url} failed (${failure}): ${detail}`, { cause: extra.cause });
    this.status = extra.status;
    this.rcode = extra.rcode;
  }
}

/**
 * The broker answered the registration with an error instead of a proxy's answer; `reason` is
 * Snowflake's own string (e.g. `no snowflake proxies currently available`, `timed out waiting for answer!`).
 */
export class RendezvousRefusedError extends AirlockError {
  constructor(readonly reason: string) {
    super('RENDEZVOUS_REFUSED', `the broker found no proxy for this client: ${reason}`);
  }
}

const CLIENT_ERRORS = defineWireErrors({
  ANSWER_SIGNATURE: AnswerSignatureError,
  BROKER_REQUEST: BrokerRequestError,
  RENDEZVOUS_REFUSED: RendezvousRefusedError,
});

declare module '../../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof CLIENT_ERRORS> {}
}
