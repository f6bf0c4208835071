import type { Clock } from '../../../lib/ports/clock.ts';
import { DnsRegistrationError, type RegistrationChunk } from '../wire/dns-registration.ts';
import { DEFAULT_REASSEMBLY_LIMITS } from '../limits.ts';

export interface ReassemblyLimits {
  /** Chunks one registration may span; more is REFUSED (a bound, not a malformed name). */
  maxChunks: number;
  /** Unfinished registrations at once; a new one beyond evicts the oldest. */
  maxSessions: number;
  /** Unfinished registrations one source may have opened; a new one beyond evicts that source's oldest. */
  maxPerSource: number;
  /** A registration not completed this long after its first chunk is dropped; a completed one is remembered as long. */
  expiryMs: number;
}

export type ReassemblyState =
  | { state: 'partial'; received: number; total: number }
  | { state: 'complete'; session: string; sealed: Uint8Array }
  /** A chunk of a registration already complete (a resolver's retry): nothing new to forward. */
  | { state: 'repeated'; total: number };

interface Session {
  readonly source: string;
  readonly total: number;
  readonly expiresAt: number;
  readonly chunks: (Uint8Array | undefined)[];
  received: number;
}

/**
 * Puts the chunks of DNS-carried registrations back together, bounded in chunks, sessions and
 * time (on the Clock port). The table of unfinished registrations is shared by every source, so
 * neither a few sources at their allowed rate nor spoofed ones may lock it: each source holds at
 * most `maxPerSource` unfinished registrations, and a full table makes room by evicting the
 * oldest one. A session is found by its id alone (a client's resolvers may take turns), and
 * counts against the source that opened it. A chunk that contradicts its session (another total,
 * other bytes for the same sequence number) is FORMERR.
 */
export class RegistrationReassembler {
  /** Unfinished registrations, oldest first (a Map keeps insertion order). */
  private readonly unfinished = new Map<string, Session>();
  /** Completed registrations, oldest first, kept to recognise a resolver's retry; as many as unfinished ones at most. */
  private readonly completed = new Map<string, Session>();
  private readonly perSource = new Map<string, string[]>();
  /** Unfinished registrations evicted to make room, since the start. */
  evicted = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS,
  ) {}

  get openSessions(): number {
    return this.unfinished.size;
  }

  /** Takes one chunk from `source` (see dnsSourceOf). */
  accept(chunk: RegistrationChunk, source: string): ReassemblyState {
    this.prune();
    if (chunk.total > this.limits.maxChunks) throw new DnsRegistrationError('REFUSED', `more than ${this.limits.maxChunks} chunks`);
    const done = this.completed.get(chunk.session);
    if (done) {
      check(done, chunk);
      return { state: 'repeated', total: done.total };
    }
    const session = this.unfinished.get(chunk.session) ?? this.open(chunk, source);
    check(session, chunk);
    if (!session.chunks[chunk.seq]) {
      session.chunks[chunk.seq] = chunk.data;
      session.received++;
    }
    if (session.received < session.total) return { state: 'partial', received: session.received, total: session.total };
    this.finish(chunk.session, session);
    return { state: 'complete', session: chunk.session, sealed: Buffer.concat(session.chunks as Uint8Array[]) };
  }

  private open(chunk: RegistrationChunk, source: string): Session {
    const mine = this.perSource.get(source) ?? [];
    if (mine.length >= this.limits.maxPerSource) this.evict(mine[0]!);
    else if (this.unfinished.size >= this.limits.maxSessions) this.evict(this.unfinished.keys().next().value!);
    const session: Session = { source, total: chunk.total, expiresAt: this.clock.now() + this.limits.expiryMs, chunks: new Array(chunk.total), received: 0 };
    this.unfinished.set(chunk.session, session);
    this.perSource.set(source, [...(this.perSource.get(source) ?? []), chunk.session]);
    return session;
  }

  private evict(id: string): void {
    this.evicted++;
    this.forget(id);
  }

  /** Moves a registration from the unfinished table to the completed one, which drops its oldest beyond its bound. */
  private finish(id: string, session: Session): void {
    this.forget(id);
    // Remembered from its completion on, so the table stays in the order its entries expire.
    this.completed.set(id, { ...session, expiresAt: this.clock.now() + this.limits.expiryMs });
    if (this.completed.size > this.limits.maxSessions) this.completed.delete(this.completed.keys().next().value!);
  }

  private forget(id: string): void {
    const session = this.unfinished.get(id);
    if (!session) return;
    this.unfinished.delete(id);
    const rest = (this.perSource.get(session.source) ?? []).filter((other) => other !== id);
    if (rest.length > 0) this.perSource.set(session.source, rest);
    else this.perSource.delete(session.source);
  }

  /** Sessions expire in the order they opened, so pruning stops at the first live one. */
  private prune(): void {
    const now = this.clock.now();
    for (const [id, session] of this.unfinished) {
      if (session.expiresAt > now) break;
      this.forget(id);
    }
    for (const [id, session] of this.completed) {
      if (session.expiresAt > now) break;
      this.completed.delete(id);
    }
  }
}

function check(session: Session, chunk: RegistrationChunk): void {
  if (session.total !== chunk.total) throw new DnsRegistrationError('FORMERR', "total differs from the session's");
  const known = session.chunks[chunk.seq];
  if (known && Buffer.compare(known, chunk.data) !== 0) throw new DnsRegistrationError('FORMERR', 'chunk differs from the one received');
}
