import { z } from 'zod';

const Pem = z.union([z.string().min(1), z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'PEM text or bytes')]);

/** This side's mutual TLS material (PEM): its key and certificate, and the CA(s) the far side must chain to. */
export const TlsSettings = z.object({ key: Pem, cert: Pem, ca: z.union([Pem, z.array(Pem).min(1)]) });

/** Reconnect backoff (the supervisors' `backoffDelay` options): first delay, cap, growth, jitter. */
export const ReconnectSettings = z
  .object({
    minMs: z.number().int().min(1).max(3_600_000).default(200),
    maxMs: z.number().int().min(1).max(3_600_000).default(10_000),
    factor: z.number().min(1).max(10).default(2),
    jitter: z.number().min(0).max(1).default(0.2),
  })
  .default({ minMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 });
