import rhea from 'rhea';
import type { LinkSendOptions } from '../../lib/index.ts';
import { HopMessage } from './hop-message-decoder.ts';

/** An AMQP 1.0 message carrying `bytes` as one data section, for rhea's encoder (`encodeHopMessage` writes the same directly). */
export function encodeMessage(bytes: Uint8Array, options: LinkSendOptions) {
  return {
    message_id: options.messageId,
    application_properties: options.properties,
    body: rhea.message.data_section(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  };
}

/** Shared by every message without application properties (most): nothing to allocate per delivery. */
const NO_PROPERTIES: Readonly<Record<string, string | number | boolean>> = Object.freeze({});

export interface DecodedMessage {
  bytes: Uint8Array;
  messageId: string | undefined;
  properties: Readonly<Record<string, string | number | boolean>>;
}

/**
 * What a peer sent, checked before anyone sees it: the body must be binary (a data section, or an
 * amqp-value holding binary), the id a string, properties plain scalars. A string value is text,
 * not bytes: refused like any other value. Returns the reason when it is not.
 */
export function decodeMessage(message: unknown): DecodedMessage | string {
  // Read by the hop's own decoder, which checked all of this as it read.
  if (message instanceof HopMessage) return message;
  if (typeof message !== 'object' || message === null) return 'not an AMQP message';
  const { body, message_id: id, application_properties: props } = message as Record<string, unknown>;
  const bytes = bodyBytes(body);
  if (!bytes) return `the body is not binary data (${describeBody(body)})`;
  if (id !== undefined && id !== null && typeof id !== 'string') return 'message-id is not a string';
  const properties = plainProperties(props);
  if (typeof properties === 'string') return properties;
  return { bytes, messageId: typeof id === 'string' ? id : undefined, properties };
}

/** Application properties as plain scalars, or the reason they are not. */
function plainProperties(props: unknown): Readonly<Record<string, string | number | boolean>> | string {
  if (props === undefined || props === null) return NO_PROPERTIES;
  if (typeof props !== 'object' || Array.isArray(props)) return 'application-properties is not a map';
  const properties: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(props)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return `application property '${key.slice(0, 80)}' is not a scalar`;
    properties[key] = value;
  }
  return properties;
}

function bodyBytes(body: unknown): Uint8Array | undefined {
  if (Buffer.isBuffer(body)) return body;
  const section = body as { typecode?: unknown; content?: unknown } | null;
  if (section && section.typecode === 0x75 && Buffer.isBuffer(section.content)) return section.content;
  return undefined;
}

/** What the body is instead, for the rejection (its kind, never its content). */
function describeBody(body: unknown): string {
  if (body === undefined || body === null) return 'no body';
  if (Array.isArray(body)) return 'an amqp-value holding a list, or amqp-sequence sections';
  const kind = typeof body === 'object' ? 'a map or another described value' : `a ${typeof body}`;
  return `an amqp-value holding ${kind}`;
}
