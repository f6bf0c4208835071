import { z } from 'zod';
import {
  DEFAULT_CREDIT_PER_PEER,
  DEFAULT_HEALTH_CHECK_CONNECTIONS,
  DEFAULT_HEALTH_CHECK_DEADLINE_MS,
  DEFAULT_HEALTH_CHECK_FIRST_BYTE_MS,
  DEFAULT_HEALTH_CHECK_PER_SOURCE,
  HEALTH_CHECK_PHRASE,
  MAX_CREDIT,
  MAX_HEALTH_CHECK_CONNECTIONS,
  MAX_HEALTH_CHECK_DEADLINE_MS,
  MAX_HEALTH_PHRASE_CHARS,
} from '../limits.ts';
import { Host, ListenPort, TlsSettings } from '../links/link-settings.ts';
import type { AuditWriter } from './audit-log.ts';

/** Binding every interface must be asked for: an edge listener on all of them by accident is a leak. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** Strict throughout: a misspelt option of an edge listener must fail at start, not fall back to a default. */
export const FloatConfig = z
  .strictObject({
    /** Where the public listener binds while the Float is active (its TLS material arrives on activation). */
    public: z.strictObject({ host: Host, port: ListenPort }),
    /** Allows `public.host` to be 0.0.0.0 / `::`. */
    bindAnyAddress: z.boolean().default(false),
    /** Where the BridgeManager dials in, and the Float's own identity toward it: its only key material. */
    tunnel: z.strictObject({
      host: Host,
      port: ListenPort,
      /** Absent only under the simulation, where `name` stands in for the certificate. */
      tls: TlsSettings.optional(),
      /** The simulation's stand-in for the tunnel certificate. */
      name: z.string().optional(),
      /** The name the BridgeManager's certificate must carry (CN or SAN); any name chaining to `tls.ca` when absent. */
      bridgeName: z.string().optional(),
    }),
    /** Unsettled deliveries a peer may have at once, over all its links (AMQP credit per link, and this sum). */
    creditPerPeer: z.number().int().min(1).max(MAX_CREDIT).default(DEFAULT_CREDIT_PER_PEER),
    /** Corda's `healthCheckPhrase`: a plain TCP listener answering a line with the phrase. */
    healthCheck: z
      .strictObject({
        host: Host,
        port: ListenPort,
        phrase: z
          .string()
          .min(1)
          .max(MAX_HEALTH_PHRASE_CHARS)
          .regex(/^[^\r\n]+$/)
          .default(HEALTH_CHECK_PHRASE),
        /** A probe that has not sent its line within this is closed. */
        deadlineMs: z.number().int().min(1).max(MAX_HEALTH_CHECK_DEADLINE_MS).default(DEFAULT_HEALTH_CHECK_DEADLINE_MS),
        /** A probe that has sent nothing within this is closed. */
        firstByteMs: z.number().int().min(1).max(MAX_HEALTH_CHECK_DEADLINE_MS).default(DEFAULT_HEALTH_CHECK_FIRST_BYTE_MS),
        /** Probes open at once; a new one closes the oldest idle one. */
        maxConnections: z.number().int().min(1).max(MAX_HEALTH_CHECK_CONNECTIONS).default(DEFAULT_HEALTH_CHECK_CONNECTIONS),
        /** Probes open at once from one source (IPv4 address, IPv6 /64); a new one closes that source's oldest. */
        maxPerSource: z.number().int().min(1).max(MAX_HEALTH_CHECK_CONNECTIONS).default(DEFAULT_HEALTH_CHECK_PER_SOURCE),
      })
      .optional(),
    /** The audit log: an injected writer of JSON lines, or a file (written through its own pino destination). */
    audit: z
      .strictObject({
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
