import { z } from 'zod';
import { defineProtocol } from '../../../lib/protocol.ts';
import { BUCKET_ID_BYTES, MAX_LINKS_PER_BUCKET } from '../limits.ts';
import { REFUSAL_CODES } from './refusals.ts';

/** Bytes in a message; the server itself answers a wrong length with its refusal (LINK_SIZE, HASH_FORMAT). */
const Bytes = (max: number) => z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes (a Uint8Array)').refine((bytes) => bytes.length <= max, `at most ${max} bytes`);

/** Who a request counts against: the HTTP endpoint names the peer's address (an IPv6 /64); absent, the sending actor's address. */
const Source = z.string().min(1).max(128);
const Refused = z.strictObject({ ok: z.literal(false), code: z.enum(REFUSAL_CODES) });

export const StoreReply = z.union([z.strictObject({ ok: z.literal(true), bucket: Bytes(BUCKET_ID_BYTES) }), Refused]);
export const FetchReply = z.union([z.strictObject({ ok: z.literal(true), links: z.array(Bytes(1_024)).max(MAX_LINKS_PER_BUCKET) }), Refused]);
export const ServerStatus = z.strictObject({
  stored: z.number().int(),
  opened: z.number().int(),
  fetched: z.number().int(),
  refusals: z.record(z.string(), z.number()),
  /** Links living in the store now; null when the store does not answer. */
  links: z.number().int().nullable(),
});

/**
 * The rendezvous server's protocol, the same requests as its HTTP endpoint: `store` a sealed link
 * (the reply carries the 6-byte bucket id), `fetch` a bucket's links by its 32-byte hash.
 * Links of up to 1 KiB are taken in and answered LINK_SIZE unless they are 240 bytes; longer is
 * an invalid message.
 */
export const RendezvousProtocol = defineProtocol('rendezvous', {
  store: { body: z.strictObject({ link: Bytes(1_024), source: Source.optional() }), reply: StoreReply },
  fetch: { body: z.strictObject({ hash: Bytes(1_024), source: Source.optional() }), reply: FetchReply },
  status: { body: z.strictObject({}), reply: ServerStatus },
  /** Deletes expired buckets from the store (the server sends it to itself every sweepIntervalMs). */
  sweep: { body: z.strictObject({}) },
});
export type RendezvousProtocol = typeof RendezvousProtocol;
