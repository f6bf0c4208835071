/**
 * The AMQP application properties the Float sets on every message it forwards over the tunnel,
 * and the only ones the BridgeManager reads: who sent it (as the Float verified the peer's
 * certificate) and which inbox it is for. A peer's own properties are never passed on, so a peer
 * cannot claim another identity by setting these itself.
 */
export const FORWARDED = {
  /** The inbox address the peer opened its link to. */
  target: 'x-airlock-target',
  /** The peer certificate's CN. */
  peer: 'x-airlock-peer',
  /** SHA-256 of the peer's certificate, `AA:BB:…`. */
  peerFingerprint: 'x-airlock-peer-sha256',
} as const;
