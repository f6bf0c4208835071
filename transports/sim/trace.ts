/** One line of the trace: what happened, when (virtual ms), and the ids it concerns. */
export interface TraceEntry {
  readonly index: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
}

const FNV_PRIME = 0x01000193;

/**
 * Every delivery, fault and lifecycle event of a run, in order, with virtual timestamps, and a
 * running 64-bit hash of it (two FNV-1a lanes), so two runs of one seed compare by hash alone.
 */
export class Trace {
  readonly entries: TraceEntry[] = [];
  private low = 0x811c9dc5;
  private high = 0x01234567;

  constructor(private readonly now: () => number) {}

  record(kind: string, text: string): void {
    const at = this.now();
    const entry: TraceEntry = { index: this.entries.length, at, kind, text };
    this.entries.push(entry);
    this.mix(`${at} ${kind} ${text}\n`);
  }

  /** The hash of everything recorded so far, as 16 hex digits. */
  get hash(): string {
    return (this.high >>> 0).toString(16).padStart(8, '0') + (this.low >>> 0).toString(16).padStart(8, '0');
  }

  /** The entries that mention any of `needles`, or the last `count` entries when none is given. */
  tail(needles: readonly string[], count = 12): TraceEntry[] {
    if (needles.length === 0) return this.entries.slice(-count);
    const related = this.entries.filter((entry) => needles.some((needle) => entry.text.includes(needle)));
    return related.slice(-count);
  }

  private mix(line: string): void {
    let low = this.low;
    let high = this.high;
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      low = Math.imul(low ^ code, FNV_PRIME);
      high = Math.imul(high ^ code ^ (low >>> 16), 0x01000197);
    }
    this.low = low;
    this.high = high;
  }
}

export function formatEntry(entry: TraceEntry): string {
  return `#${entry.index} @${entry.at}ms ${entry.kind} ${entry.text}`;
}
