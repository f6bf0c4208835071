import { AirlockError } from '../lib/errors.ts';

/** A 2.0 answer whose signature is missing or does not verify with the Oracle's key: do not use it. */
export class AnswerSignatureError extends AirlockError {
  constructor(reason: 'missing' | 'invalid') {
    super('INVALID_MESSAGE', `the broker's answer is not signed for this registration (${reason} signature)`);
  }
}
