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

/** How a registration method carries bytes: the AMP cache path and armor, DNS labels and TXT answers. */
export type RegistrationEncoding = 'amp-path' | 'amp-armor' | 'dns';

/** Bytes that do not decode under a registration method's encoding; `reason` is Snowflake's text where it has one. */
export class RegistrationEncodingError extends MalformedFrameError {
  constructor(readonly encoding: RegistrationEncoding, readonly reason: string) {
    super(`${encoding}: ${reason}`);
  }

  override readonly code = 'REGISTRATION_ENCODING';
}

const WIRE_ERRORS = defineWireErrors({
  SNOWFLAKE_MESSAGE: SnowflakeMessageError,
  REGISTRATION_ENCODING: RegistrationEncodingError,
});

declare module '../../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof WIRE_ERRORS> {}
}
