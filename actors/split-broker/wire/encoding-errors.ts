import { MalformedFrameError } from '../../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../../lib/wire-errors.ts';

/** Which registration method's encoding a request or response failed. */
export type RegistrationEncoding = 'amp-path' | 'amp-armor' | 'dns';

/** Bytes that do not decode under a registration method's encoding; `reason` is Snowflake's text where it has one. */
export class RegistrationEncodingError extends MalformedFrameError {
  constructor(readonly encoding: RegistrationEncoding, readonly reason: string) {
    super(`${encoding}: ${reason}`);
  }

  override readonly code = 'REGISTRATION_ENCODING';
}

const ENCODING_ERRORS = defineWireErrors({
  REGISTRATION_ENCODING: RegistrationEncodingError,
});

declare module '../../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof ENCODING_ERRORS> {}
}
