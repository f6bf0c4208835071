import type { Clock } from '../../../lib/ports/clock.ts';
import { DnsRegistrationError, type RegistrationChunk } from '../wire/dns-registration.ts';
import { DEFAULT_REASSEMBLY_LIMITS } from '../limits.ts';

export interface ReassemblyLimits {
  /** Chunks one registration may span. */
  maxChunks: number;
  /** Registrations being reassembled at once; a new one beyond is REFUSED. */
  maxSessions: number;
  /** A session not completed this long after its first chunk is dropped. */
  expiryMs: number;
}

export type ReassemblyState =
  | { state: 'partial'; received: number; total: number }
  | { state: 'complete'; session: string; sealed: Uint8Array }
  /** A chunk of a registration already complete (a resolver's retry): nothing new to forward. */
  | { state: 'repeated'; total: number };

interface Session {
  readonly total: number;
  readonly expiresAt: number;
  readonly chunks: (Uint8Array | undefined)[];
  received: number;
  complete: boolean;
}

/**
 * Puts the chunks of DNS-carried registrations back together, bounded in chunks, sessions and
 * time (on the Clock port). A chunk that contradicts its session (another total, other bytes for
 * the same sequence number) is FORMERR; a new session beyond the bound is REFUSED.
 */
export class RegistrationReassembler {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
  ) {}

  get openSessions(): number {
    return this.sessions.size;
  }

  accept(chunk: RegistrationChunk): ReassemblyState {
    this.prune();
    if (chunk.total > this.limits.maxChunks) throw new DnsRegistrationError('FORMERR', `more than ${this.limits.maxChunks} chunks`);
    const session = this.sessions.get(chunk.session) ?? this.open(chunk);
    if (session.total !== chunk.total) throw new DnsRegistrationError('FORMERR', 'total differs from the session\'s');
    const known = session.chunks[chunk.seq];
    if (known && Buffer.compare(known, chunk.data) !== 0) throw new DnsRegistrationError('FORMERR', 'chunk differs from the one received');
    if (session.complete) return { state: 'repeated', total: session.total };
    if (!known) {
      session.chunks[chunk.seq] = chunk.data;
      session.received++;
    }
    if (session.received < session.total) return { state: 'partial', received: session.received, total: session.total };
    session.complete = true;
    return { state: 'complete', session: chunk.session, sealed: Buffer.concat(session.chunks as Uint8Array[]) };
  }

  private open(chunk: RegistrationChunk): Session {
    if (this.sessions.size >= this.limits.maxSessions) throw new DnsRegistrationError('REFUSED', 'too many registrations in progress');
    const session: Session = { total: chunk.total, expiresAt: this.clock.now() + this.limits.expiryMs, chunks: new Array(chunk.total), received: 0, complete: false };
    this.sessions.set(chunk.session, session);
    return session;
  }

  /** Sessions expire in the order they opened, so pruning stops at the first live one. */
  private prune(): void {
    const now = this.clock.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt > now) return;
      this.sessions.delete(id);
    }
  }
}
