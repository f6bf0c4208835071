/**
 * Counts deliveries per peer for link-loss tests: what each peer sent, in order, and what the
 * receiving side saw. `receive` tells the receiver whether a message id is new (the dedupe a real
 * receiver does by message id); `verdict` says, per peer, what was lost, handled twice or
 * handled out of order, so one assertion states "exactly once, in order".
 */
export interface PeerVerdict {
  /** Sent, never received. */
  missing: string[];
  /** Received, never sent. */
  unexpected: string[];
  /** Received more than once (the receiver must have dropped these). */
  redelivered: string[];
  /** First receipts that came before an id sent earlier. */
  outOfOrder: string[];
}

export class DeliveryLedger {
  private readonly sent = new Map<string, string[]>();
  private readonly firstSeen = new Map<string, string[]>();
  private readonly counts = new Map<string, Map<string, number>>();

  /** `peer` sent `id` (record them in send order). */
  send(peer: string, id: string): void {
    listOf(this.sent, peer).push(id);
  }

  /** The receiver got `id` from `peer`: true the first time, false for a redelivery to drop. */
  receive(peer: string, id: string): boolean {
    const counts = this.counts.get(peer) ?? new Map<string, number>();
    this.counts.set(peer, counts);
    const seen = counts.get(id) ?? 0;
    counts.set(id, seen + 1);
    if (seen === 0) listOf(this.firstSeen, peer).push(id);
    return seen === 0;
  }

  /** Ids handled (first receipts) from `peer`, in the order they were handled. */
  handled(peer: string): readonly string[] {
    return this.firstSeen.get(peer) ?? [];
  }

  verdict(peer: string): PeerVerdict {
    const sent = this.sent.get(peer) ?? [];
    const handled = this.handled(peer);
    const counts = this.counts.get(peer) ?? new Map<string, number>();
    const sentSet = new Set(sent);
    const position = new Map(sent.map((id, index) => [id, index]));
    const outOfOrder: string[] = [];
    let last = -1;
    for (const id of handled) {
      const at = position.get(id);
      if (at === undefined) continue;
      if (at < last) outOfOrder.push(id);
      last = Math.max(last, at);
    }
    return {
      missing: sent.filter((id) => !counts.has(id)),
      unexpected: handled.filter((id) => !sentSet.has(id)),
      redelivered: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
      outOfOrder,
    };
  }

  /** Every peer that sent or was received from. */
  get peers(): string[] {
    return [...new Set([...this.sent.keys(), ...this.counts.keys()])];
  }
}

function listOf(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
