import type { ConsumeMessage } from 'amqplib';
import { OversizedHeadersError } from './errors.ts';

/**
 * Refuses a delivery whose AMQP headers take more than `limit` bytes. Headers are bounded well
 * below amqplib's 64 KiB field-table buffer so that a dead-letter copy, which adds its reason to
 * the original headers, can always be encoded and published.
 */
export function checkIncomingHeaders(message: ConsumeMessage, limit: number): void {
  const size = headerBytes(message.properties.headers);
  if (size > limit) throw new OversizedHeadersError(size, limit);
}

/** The size of a header table in its AMQP encoding (exact for strings, buffers and tables; 8 bytes per number). */
export function headerBytes(table: object | undefined | null): number {
  if (!table) return 0;
  let size = 4;
  for (const [key, value] of Object.entries(table)) {
    if (value !== undefined) size += 1 + Buffer.byteLength(key) + valueBytes(value);
  }
  return size;
}

/** One field value: its type tag and its payload. */
function valueBytes(value: unknown): number {
  if (typeof value === 'string') return 5 + Buffer.byteLength(value);
  if (typeof value === 'boolean') return 2;
  if (value === null || typeof value !== 'object') return 9;
  if (Buffer.isBuffer(value)) return 5 + value.length;
  if (Array.isArray(value)) return value.reduce((size: number, item: unknown) => size + valueBytes(item), 5);
  // amqplib's typed values ({ '!': 'timestamp', value }) carry their payload in `value`.
  if (Object.hasOwn(value, '!')) return valueBytes((value as { value: unknown }).value);
  return 1 + headerBytes(value);
}
