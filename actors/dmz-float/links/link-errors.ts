import type { LinkRefusedError } from '../../../lib/index.ts';

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
