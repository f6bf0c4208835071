import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';
import { MAX_FINGERPRINT_CHARS, MAX_HOST_CHARS, MAX_MESSAGE_ID_CHARS } from '../limits.ts';
import { Bytes } from '../message-fields.ts';

/**
 * What a BridgeManager puts in an inbox: the peer's bytes, as the Float received them, and who sent
 * them. An inbox actor speaks it; the BridgeManager's own messages are the bridge control protocol
 * (`../bridge-control/protocol.ts`).
 */
export const PeerInboxProtocol = defineProtocol('peer-inbox', {
  PeerMessage: {
    body: z.strictObject({
      /** The peer's own message id, when it gave one: the inbox dedupes resent copies by it. */
      messageId: z.string().max(MAX_MESSAGE_ID_CHARS).optional(),
      /** The peer's certificate CN, as the Float verified it. */
      peer: z.string().max(MAX_HOST_CHARS),
      /** SHA-256 of the peer's certificate, `AA:BB:…`. */
      peerFingerprint: z.string().max(MAX_FINGERPRINT_CHARS),
      bytes: Bytes,
    }),
  },
});
export type PeerInboxProtocol = typeof PeerInboxProtocol;
