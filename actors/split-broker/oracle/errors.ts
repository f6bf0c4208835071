import { AirlockError, InvalidMessageError } from '../../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../../lib/wire-errors.ts';

/** Why the Oracle refused a sealed registration. */
export type RegistrationRejection =
  | 'truncated' // shorter than a sealed box can be
  | 'forged' // does not open with the Oracle's key
  | 'invalid' // opens, but the plaintext is not a registration
  | 'stale' // its timestamp is outside the window
  | 'replayed'; // its nonce was seen within the window (or, rarely, seemed to be: see NonceMemory)

/**
 * A sealed registration the Oracle will not pass on. Nothing about the key leaks through it.
 * `nonce` is set when the registration opened (stale, replayed): the refusal is then
 * signed over it, so its client can trust the refusal too.
 */
export class RegistrationRejectedError extends InvalidMessageError {
  constructor(readonly reason: RegistrationRejection, issues: string[] = [], readonly nonce?: string) {
    super('oracle', 'registration', [reason, ...issues]);
  }

  override readonly code = 'REGISTRATION_REJECTED';
}

/** Why a key file was refused. */
export type KeyFileProblem = 'missing' | 'loose-permissions' | 'wrong-owner' | 'wrong-size' | 'exists';

/** The Oracle's key file cannot be used as it is: it refuses to start rather than use it. */
export class KeyFileError extends AirlockError {
  constructor(readonly path: string, readonly problem: KeyFileProblem, detail: string) {
    super('KEY_FILE', `key file ${path}: ${detail}`);
  }
}

/** The keys were used after `dispose()` zeroed and freed their secure memory (the Oracle stopped). */
export class KeysDisposedError extends AirlockError {
  constructor() {
    super('KEYS_DISPOSED', 'the Oracle keys were disposed: their secrets are zeroed and freed');
  }
}

const ORACLE_ERRORS = defineWireErrors({
  REGISTRATION_REJECTED: RegistrationRejectedError,
  KEY_FILE: KeyFileError,
  KEYS_DISPOSED: KeysDisposedError,
});

declare module '../../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof ORACLE_ERRORS> {}
}
