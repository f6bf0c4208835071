/** Counts of what is open, by key (a source address, a certificate fingerprint). */
class OpenCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for `key`; false when `limit` are taken already. The returned release gives it back once. */
  take(key: string): (() => void) | undefined {
    const open = this.counts.get(key) ?? 0;
    if (open >= this.limit) return undefined;
    this.counts.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      // Forgotten at zero: a listener seeing many addresses over its life must not keep one entry each.
      if (left === 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }
}

export interface AdmissionLimits {
  maxConnectionsPerSource: number;
  maxConnectionsPerPeer: number;
}

/**
 * Which connections a listener lets in: at most `maxConnectionsPerSource` open from one address
 * (checked on arrival, before any TLS work), at most `maxConnectionsPerPeer` for one verified
 * certificate (checked once the handshake named it). A refusal is the reason, for `onRefused`.
 */
export class ConnectionAdmission {
  private readonly sources: OpenCounts;
  private readonly peers: OpenCounts;

  constructor(private readonly limits: AdmissionLimits) {
    this.sources = new OpenCounts(limits.maxConnectionsPerSource);
    this.peers = new OpenCounts(limits.maxConnectionsPerPeer);
  }

  /** A slot for a connection from `address`, or the reason there is none. */
  admitSource(address: string): (() => void) | string {
    return this.sources.take(address) ?? `${this.limits.maxConnectionsPerSource} connections from ${address} are open already (maxConnectionsPerSource)`;
  }

  /** A slot for a connection of the certificate `fingerprint` (named `name`), or the reason there is none. */
  admitPeer(fingerprint: string, name: string): (() => void) | string {
    return this.peers.take(fingerprint) ?? `${name} has ${this.limits.maxConnectionsPerPeer} connections open already (maxConnectionsPerPeer)`;
  }
}
