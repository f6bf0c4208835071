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
