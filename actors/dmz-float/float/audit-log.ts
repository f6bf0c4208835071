import pino, { type Logger } from 'pino';
import type { HostPort, LinkRefusal } from '../../../lib/index.ts';

/** Where audit lines go: one JSON object per call. */
export type AuditWriter = (line: string) => void;

export type AuditEvent =
  | { event: 'activated'; bridge: string; publicPort: number }
  | { event: 'deactivated'; reason: string }
  | { event: 'connect'; remote: string }
  | { event: 'authenticated'; remote: string; peer: string; fingerprint: string }
  | { event: 'refused'; remote: string; peer?: string; condition: string; reason: string }
  | { event: 'disconnect'; remote: string; peer: string; reason: string; connectedMs: number; forwarded: number; latencyMs: LatencyFigures | null };

export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
}

/**
 * The Float's audit log: JSON lines of connection events, written to an injected writer or a
 * dedicated pino destination (a file), never mixed with the actor's own log.
 */
export class AuditLog {
  private readonly logger: Logger | undefined;
  private readonly writer: AuditWriter | undefined;

  constructor(
    private readonly now: () => number,
    target: { writer?: AuditWriter; file?: string },
  ) {
    if (target.writer) this.writer = target.writer;
    else if (target.file) this.logger = pino({ base: null, timestamp: false, messageKey: 'message' }, pino.destination({ dest: target.file, sync: false, mkdir: false }));
  }

  write(event: AuditEvent): void {
    const line = { at: this.now(), ...event };
    if (this.writer) this.writer(JSON.stringify(line));
    else this.logger?.info(line);
  }

  /** Flushes a file destination (on stop). */
  flush(): void {
    this.logger?.flush();
  }
}

/**
 * The audit line of a connection the public listener refused or cut outside any link: its address
 * (captured on arrival, so a failed handshake still has one), the condition (`tls`, `framing`,
 * `deadline`, `limit`) and, once TLS verified it, the peer's common name.
 */
export function listenerRefusal(reason: string, remote: HostPort, refusal: LinkRefusal | undefined): AuditEvent {
  return {
    event: 'refused',
    remote: `${remote.host}:${remote.port}`,
    ...(refusal?.peer !== undefined ? { peer: refusal.peer } : {}),
    condition: refusal?.condition ?? 'tls',
    reason,
  };
}

/** p50, p99 and max of a peer's forward latencies (peer delivery → broker confirm), in ms. */
export function latencyFigures(samples: readonly number[]): LatencyFigures | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}
