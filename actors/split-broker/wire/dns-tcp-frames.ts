// DNS over TCP frames each message with a 2-byte big-endian length (RFC 1035 §4.2.2, RFC 7766 §8).

/** `message` as it goes on a TCP stream: its length first. */
export function frameDnsMessage(message: Uint8Array): Uint8Array {
  const framed = Buffer.alloc(2 + message.length);
  framed.writeUInt16BE(message.length, 0);
  framed.set(message, 2);
  return framed;
}

/**
 * Cuts a TCP byte stream into DNS messages, holding at most one message of `maxMessageBytes`
 * (and its prefix) between reads: a prefix announcing more is a peer to hang up on, not to
 * buffer for.
 */
export class DnsTcpFrames {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** The messages `chunk` completes, in order; `oversized` when a prefix announces more than the bound. */
  push(chunk: Uint8Array): Uint8Array[] | 'oversized' {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const messages: Uint8Array[] = [];
    while (this.buffered.length >= 2) {
      const length = this.buffered.readUInt16BE(0);
      if (length > this.maxMessageBytes) return 'oversized';
      if (this.buffered.length < 2 + length) break;
      messages.push(Uint8Array.prototype.slice.call(this.buffered, 2, 2 + length));
      this.buffered = this.buffered.subarray(2 + length);
    }
    return messages;
  }
}
