import { z } from 'zod';
import { MAX_ADDRESS_CHARS, MAX_MESSAGE_ID_CHARS } from './limits.ts';

/** Bytes as any Uint8Array (a Node Buffer included). */
export const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes (a Uint8Array)');

/** An actor address or AMQP target as the design's protocols carry it (checked again where it is used). */
export const AddressText = z.string().min(1).max(MAX_ADDRESS_CHARS);

/** A message id, reused as the correlation id of what answers it. */
export const MessageId = z.string().min(1).max(MAX_MESSAGE_ID_CHARS);
