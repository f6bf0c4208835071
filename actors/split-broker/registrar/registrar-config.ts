import { z } from 'zod';
import { address } from '../../../lib/address.ts';
import { MetricsRegistry } from '../../ops/index.ts';
import { DEFAULT_MAX_WAITING, DEFAULT_RATE_LIMIT, MAX_REGISTRATION_BYTES, REGISTRAR_ASK_TIMEOUT_MS } from '../limits.ts';

const Address = z.string().transform((text) => address(text));

/** What every registrar takes: where it listens, whom it forwards to, and its bounds. */
export const RegistrarConfig = z.strictObject({
  /** `0.0.0.0` to face the network. */
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port (ask the registrar `where`). */
  port: z.number().int().min(0).max(65_535),
  /** The Oracle and the Matcher, at the addresses the topology gives them. */
  oracle: Address.default('keyholder/oracle'),
  matcher: Address.default('core/matcher'),
  /** Request bodies (and DNS registrations) over this are refused (Snowflake: 100,000 bytes). */
  maxBodyBytes: z.number().int().positive().max(MAX_REGISTRATION_BYTES).default(MAX_REGISTRATION_BYTES),
  /** Polls and registrations waiting for the broker at once; beyond, 503 (DNS: REFUSED). */
  maxWaiting: z.number().int().positive().default(DEFAULT_MAX_WAITING),
  /** Requests per source address: a token bucket. */
  rate: z
    .strictObject({ burst: z.number().positive(), perSecond: z.number().positive(), maxSources: z.number().int().positive() })
    .partial()
    .default({})
    .transform((rate) => ({ ...DEFAULT_RATE_LIMIT, ...rate })),
  /** Longer than the Oracle's and the Matcher's waits, so theirs end first. */
  askTimeoutMs: z.number().int().positive().default(REGISTRAR_ASK_TIMEOUT_MS),
  metrics: MetricsRegistry.optional(),
});
export type RegistrarConfig = z.output<typeof RegistrarConfig>;
