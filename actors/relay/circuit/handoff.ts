import type { Duplex } from 'node:stream';
import type { Grant } from '../wire/frames.ts';

export interface PairedStreams {
  /** The connecting party's stream (B). */
  b: Duplex;
  /** The reserved party's stream (C), accepted on its dial-back. */
  c: Duplex;
  grant: Grant;
}

/**
 * Streams cannot travel in a message, so the listener leaves each pair here under its circuit's
 * name and starts the circuit actor named by it, which takes them in its setup. One per relay
 * tree; a pair nobody takes (the start failed) is destroyed by `drop`.
 */
export class StreamHandoff {
  private readonly pairs = new Map<string, PairedStreams>();

  put(token: string, pair: PairedStreams): void {
    this.pairs.set(token, pair);
  }

  take(token: string): PairedStreams | undefined {
    const pair = this.pairs.get(token);
    this.pairs.delete(token);
    return pair;
  }

  drop(token: string): void {
    const pair = this.take(token);
    pair?.b.destroy();
    pair?.c.destroy();
  }

  get size(): number {
    return this.pairs.size;
  }
}
