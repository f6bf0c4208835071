import { CONDITIONS, type LinkRefusedError } from '../../../lib/index.ts';

/**
 * Errors from the Links port are told apart by their stable `code`, not `instanceof`: the real
 * port is loaded lazily, and a second copy of the error classes (ESM beside CJS) would fail it.
 */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** The far side refused (rejected, released, detached, too big): carries the AMQP condition. */
export function isRefusal(error: unknown): error is LinkRefusedError {
  return hasCode(error, 'LINK_REFUSED');
}

/**
 * The far side refused for good (rejected, unknown target, too big): sending the same message again
 * cannot help. A release (`amqp:released`: the far side could not take it now) or a lost link is not
 * final: the message is sent again, with the same id.
 */
export function isFinalRefusal(error: unknown): error is LinkRefusedError {
  return isRefusal(error) && error.condition !== CONDITIONS.released;
}
