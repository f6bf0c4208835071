/**
 * What the DNS registrar holds for one attacker, seen from the attacker's side: the data of every
 * chunk it acknowledged (`ack n/total`) in a session not yet answered in full, until the session
 * expires. The largest sum over the run goes to the row's `largestBufferedBytes`.
 */
import type { BufferMeter } from './buffer-meter.ts';

/** The registrar's default session expiry (`sessionExpiryMs`, DEFAULT_REASSEMBLY_LIMITS): a session older is dropped there too. */
const SESSION_EXPIRY_MS = 30_000;
/** The registrar's default bounds: 1,000 sessions of 64 chunks. */
const MAX_SESSIONS = 1_000;
const MAX_CHUNKS = 64;
/** A chunk's data at most: a 253-character name, 5 bits per base32 character. */
const MAX_CHUNK_DATA_BYTES = Math.floor((253 * 5) / 8);

interface Held {
  openedAt: number;
  bytes: Map<number, number>;
}

export class ReassemblyHeld {
  /** What the registrar's bounds let it hold at most: sessions × chunks × a chunk's data. */
  static readonly BOUND = MAX_SESSIONS * MAX_CHUNKS * MAX_CHUNK_DATA_BYTES;
  private readonly sessions = new Map<string, Held>();
  private total = 0;

  constructor(
    private readonly meter: BufferMeter,
    private readonly zone: string,
  ) {}

  /** A TXT answer to the chunk named `name`: an acknowledgement holds its data, anything else ends the session. */
  answered(name: string, text: string): void {
    const chunk = this.chunkOf(name);
    if (!chunk) return;
    this.expire(performance.now());
    if (!text.startsWith('ack ')) return this.forget(chunk.session);
    const session = this.sessions.get(chunk.session) ?? { openedAt: performance.now(), bytes: new Map<number, number>() };
    this.sessions.set(chunk.session, session);
    this.total += chunk.bytes - (session.bytes.get(chunk.seq) ?? 0);
    session.bytes.set(chunk.seq, chunk.bytes);
    this.meter.note(this.total);
  }

  private chunkOf(name: string): { session: string; seq: number; bytes: number } | undefined {
    const labels = name.toLowerCase().replace(new RegExp(`\\.${this.zone.replace(/\./g, '\\.')}$`), '').split('.');
    if (labels.length < 4) return undefined;
    const [seq, , session] = labels.slice(-3) as [string, string, string];
    return { session, seq: Number(seq), bytes: Math.floor((labels.slice(0, -3).join('').length * 5) / 8) };
  }

  private forget(session: string): void {
    for (const bytes of this.sessions.get(session)?.bytes.values() ?? []) this.total -= bytes;
    this.sessions.delete(session);
  }

  private expire(now: number): void {
    for (const [id, session] of this.sessions) {
      if (now - session.openedAt < SESSION_EXPIRY_MS) return;
      this.forget(id);
    }
  }
}
