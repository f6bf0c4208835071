/** The Oracle: its keys in secure memory, opening sealed registrations, signing answers, and its actor. */
export { KeyFileError, KeysDisposedError, RegistrationRejectedError, type KeyFileProblem, type RegistrationRejection } from './errors.ts';
export { OracleKeys, SECRET_FILE_BYTES, encodePublicKeys, type OraclePublicKeys } from './keys.ts';
export { ORACLE_PUBLIC_FILE, ORACLE_SECRET_FILE, publicKeyPath, readPublicKeys, secretKeyPath, writeKeyDir } from './key-dir.ts';
export { NonceMemory } from './nonce-memory.ts';
export { RegistrationOpener, type RegistrationOpenerOptions } from './open-registration.ts';
export { signAnswer, signedResponse } from './sign-answer.ts';
export {
  OracleProtocol,
  PlainRegister,
  REFUSALS,
  RegisterReply,
  RegisterRequest,
  SealedRegister,
  type Refusal,
} from './protocol.ts';
export { OracleConfig, oracleActor } from './oracle-actor.ts';
