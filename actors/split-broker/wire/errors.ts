import { MalformedFrameError } from '../../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../../lib/wire-errors.ts';

/** Which Snowflake message a malformed body claimed to be. */
export type SnowflakeMessageKind =
  | 'proxy-poll-request'
  | 'proxy-poll-response'
  | 'answer-request'
  | 'answer-response'
  | 'client-poll-request'
  | 'client-poll-response'
  | 'registration';

/**
 * A Snowflake wire message that does not decode. `reason` is Snowflake's own error text where
 * it has one (e.g. `unsupported message version`), because the broker sends it back to
 * 1.0 clients verbatim in `{"error": ...}`.
 */
export class SnowflakeMessageError extends MalformedFrameError {
  constructor(readonly kind: SnowflakeMessageKind, readonly reason: string) {
    super(`${kind}: ${reason}`);
  }

  override readonly code = 'SNOWFLAKE_MESSAGE';
}

const WIRE_ERRORS = defineWireErrors({
  SNOWFLAKE_MESSAGE: SnowflakeMessageError,
});

declare module '../../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof WIRE_ERRORS> {}
}
