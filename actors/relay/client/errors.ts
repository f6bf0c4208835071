import { AirlockError } from '../../../lib/errors.ts';
import type { RefusalCode } from '../wire/status.ts';

/** The relay refused a request; `code` is the STATUS it answered (RESERVATION_REFUSED, NO_RESERVATION, …). */
export class RelayRefusedError extends AirlockError {
  constructor(readonly status: RefusalCode, readonly operation: 'reserve' | 'connect' | 'accept') {
    super(status, `the relay refused ${operation}: ${status}`);
  }
}

/** The party at the end of the circuit presented a key other than the identity asked for: someone (the relay?) answered for it. */
export class IdentityMismatchError extends AirlockError {
  constructor(readonly expected: string, readonly presented: string | undefined) {
    super('IDENTITY_MISMATCH', `the far end presented ${presented ? `identity ${presented.slice(0, 16)}…` : 'no certificate'}, not ${expected.slice(0, 16)}…`);
  }
}

/** The relay did not answer, or the connection to it broke before it did. */
export class RelayUnavailableError extends AirlockError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('RELAY_UNAVAILABLE', `relay unavailable: ${reason}`, options);
  }
}
