/** The Oracle's domain core: its keys in secure memory, opening sealed registrations, signing answers. */
export { KeyFileError, RegistrationRejectedError, type KeyFileProblem, type RegistrationRejection } from './errors.ts';
export { OracleKeys, SECRET_FILE_BYTES, encodePublicKeys, type OraclePublicKeys } from './keys.ts';
export { NonceMemory } from './nonce-memory.ts';
export {
  DEFAULT_FRESHNESS_WINDOW_S,
  DEFAULT_NONCE_CAPACITY,
  MAX_SEALED_BYTES,
  RegistrationOpener,
  type RegistrationOpenerOptions,
} from './open-registration.ts';
export { signAnswer, signedResponse } from './sign-answer.ts';
