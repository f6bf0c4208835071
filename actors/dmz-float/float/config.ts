import { z } from 'zod';
import { TlsSettings } from '../links/link-settings.ts';
import type { AuditWriter } from './audit-log.ts';

const Host = z.string().min(1).max(255);
const Port = z.number().int().min(0).max(65_535);

/** Binding every interface must be asked for: an edge listener on all of them by accident is a leak. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

export const FloatConfig = z
  .object({
    /** Where the public listener binds while the Float is active (its TLS material arrives on activation). */
    public: z.object({ host: Host, port: Port }),
    /** Allows `public.host` to be 0.0.0.0 / `::`. */
    bindAnyAddress: z.boolean().default(false),
    /** Where the BridgeManager dials in, and the Float's own identity toward it: its only key material. */
    tunnel: z.object({
      host: Host,
      port: Port,
      /** Absent only under the simulation, where `name` stands in for the certificate. */
      tls: TlsSettings.optional(),
      /** The simulation's stand-in for the tunnel certificate. */
      name: z.string().optional(),
      /** The name the BridgeManager's certificate must carry (CN or SAN); any name chaining to `tls.ca` when absent. */
      bridgeName: z.string().optional(),
    }),
    /** Unsettled deliveries a peer may have at once, over all its links (AMQP credit per link, and this sum). */
    creditPerPeer: z.number().int().min(1).max(10_000).default(16),
    /** Corda's `healthCheckPhrase`: a plain TCP listener answering a line with the phrase. */
    healthCheck: z
      .object({
        host: Host,
        port: Port,
        phrase: z.string().min(1).max(128).regex(/^[^\r\n]+$/),
        /** A probe that has not sent its line within this is closed. */
        deadlineMs: z.number().int().min(1).max(60_000).default(5_000),
        /** Probes open at once; more are closed at once. */
        maxConnections: z.number().int().min(1).max(10_000).default(64),
      })
      .optional(),
    /** The audit log: an injected writer of JSON lines, or a file (written through its own pino destination). */
    audit: z
      .object({
        writer: z.custom<AuditWriter>((value) => typeof value === 'function', 'a function (line: string) => void').optional(),
        file: z.string().min(1).optional(),
      })
      .default({}),
  })
  .refine((config) => config.bindAnyAddress || !ANY_ADDRESS.has(config.public.host), {
    message: 'public.host binds every interface: give a specific address, or set bindAnyAddress',
    path: ['public', 'host'],
  });
export type FloatConfig = z.output<typeof FloatConfig>;
export type FloatConfigInput = z.input<typeof FloatConfig>;
