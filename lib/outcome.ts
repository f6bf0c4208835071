import type { Address } from './address.ts';
import { ActorCrashedError } from './errors.ts';

/**
 * What a handler or callback hands back, told apart the same way everywhere: a plain value or
 * a promise (any thenable, as `await` treats it), and whatever it threw, as an Error.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** JavaScript can throw anything; the runtime reports, dead-letters and sends Errors only. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The wrapper's own stack would only show this cell's internals; the cause carries the real one. */
export function crashedError(address: Address, cause: Error): ActorCrashedError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ActorCrashedError(address, cause);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
