import { z } from 'zod';
import { DEFAULT_RECONNECT, MAX_HOST_CHARS, MAX_RECONNECT_DELAY_MS, MAX_RECONNECT_FACTOR } from '../limits.ts';

const Pem = z.union([z.string().min(1), z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'PEM text or bytes')]);

/** A host to listen on or dial. */
export const Host = z.string().min(1).max(MAX_HOST_CHARS);
/** A port to dial. */
export const DialPort = z.number().int().min(1).max(65_535);
/** A port to listen on; 0 asks for any free one. */
export const ListenPort = z.number().int().min(0).max(65_535);
/** A host and port to dial (the SOCKS5 proxy an outbound bridge goes through, Corda's `proxyConfig`). */
export const DialAddress = z.strictObject({ host: Host, port: DialPort });

/** This side's mutual TLS material (PEM): its key and certificate, and the CA(s) the far side must chain to. */
export const TlsSettings = z.strictObject({ key: Pem, cert: Pem, ca: z.union([Pem, z.array(Pem).min(1)]) });
export type TlsSettings = z.output<typeof TlsSettings>;

/** Reconnect backoff (the supervisors' `backoffDelay` options): first delay, cap, growth, jitter. */
export const ReconnectSettings = z
  .strictObject({
    minMs: z.number().int().min(1).max(MAX_RECONNECT_DELAY_MS).default(DEFAULT_RECONNECT.minMs),
    maxMs: z.number().int().min(1).max(MAX_RECONNECT_DELAY_MS).default(DEFAULT_RECONNECT.maxMs),
    factor: z.number().min(1).max(MAX_RECONNECT_FACTOR).default(DEFAULT_RECONNECT.factor),
    jitter: z.number().min(0).max(1).default(DEFAULT_RECONNECT.jitter),
  })
  .default(DEFAULT_RECONNECT);
export type ReconnectSettings = z.output<typeof ReconnectSettings>;
