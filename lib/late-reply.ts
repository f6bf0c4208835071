import type { Logger } from 'pino';
import type { Envelope } from './envelope.ts';
import { asError } from './outcome.ts';

declare const reply: unique symbol;

/**
 * A reply promised for later (`ctx.replyLater`): a handler returns it in place of the reply, so
 * the compiler checks `R` against the message's reply type. At run time it carries nothing: the
 * answer was wired to the ask when `replyLater` was called.
 */
export interface LateReply<R> {
  readonly [reply]: R;
}

/** The one token every `replyLater` returns; `never` fits any `LateReply<R>`. */
export const LATE_REPLY = Object.freeze({}) as LateReply<never>;

/** How a late answer reaches its asker (the system implements it). */
export interface ReplySink {
  reply(request: Envelope, value: unknown): void;
  replyError(request: Envelope, error: Error): void;
}

/**
 * Answers `request` when `answer` settles: with its value, or with its error, as Akka's `pipeTo`
 * sends a failure. A rejection is the asker's to handle, not a crash of the actor: the actor had
 * moved on long before. Nobody asked (a tell, or the reply was given already): a rejection is
 * logged so it is not lost, and never becomes an unhandled rejection of the process.
 */
export function answerWhenSettled(sink: ReplySink, request: Envelope | undefined, answer: PromiseLike<unknown>, log: () => Logger): void {
  const asked = request !== undefined && request.replyTo !== undefined;
  answer.then(
    (value) => {
      if (asked) sink.reply(request, value);
    },
    (error: unknown) => {
      if (asked) sink.replyError(request, asError(error));
      else log().warn({ err: error }, 'a late reply failed and nobody waits for it');
    },
  );
}
