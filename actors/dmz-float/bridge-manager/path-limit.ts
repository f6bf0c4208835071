import { encodeEnvelope, type Address } from '../../../lib/index.ts';
import { MAX_ADDRESS_CHARS, MAX_FINGERPRINT_CHARS, MAX_HOST_CHARS, MAX_MESSAGE_ID_CHARS } from '../limits.ts';
import { FORWARDED } from '../tunnel/index.ts';

/** The codec's bound on any string field of an envelope (its id among them): ids are never longer. */
const MAX_ENVELOPE_STRING_CHARS = 1024;
/** A UTF-16 code unit encodes to at most 3 UTF-8 bytes (a 4-byte character takes two units). */
const WIDEST_CHAR = '\u{FFFF}';
/** Any body of 64 KiB or more gets msgpack's widest bin header (5 bytes), as a 10 MiB body does. */
const PROBE_BODY_BYTES = 64 * 1024;
/** The largest attempt count a redelivered envelope may carry, in msgpack's widest int form. */
const MAX_ATTEMPT = 0xffff_ffff;

/**
 * The largest peer message body that travels from this BridgeManager to an inbox in one frame of
 * `maxFrameBytes` (the `maxFrameBytes` of the transport of every node hosting an inbox): the frame
 * less the `PeerMessage` envelope around the body, measured by encoding the worst case the inbox
 * protocol and the address rules allow (longest id, inbox address, peer name, fingerprint and
 * message id, every character as wide as UTF-8 makes it). A body of exactly this size arrives;
 * the Float refuses one byte more before it accepts it.
 */
export function largestBodyThrough(maxFrameBytes: number, bridge: Address): number {
  const peer = WIDEST_CHAR.repeat(MAX_HOST_CHARS);
  const worst = encodeEnvelope({
    id: WIDEST_CHAR.repeat(MAX_ENVELOPE_STRING_CHARS),
    to: 'x'.repeat(MAX_ADDRESS_CHARS),
    from: bridge,
    type: 'PeerMessage',
    body: {
      messageId: WIDEST_CHAR.repeat(MAX_MESSAGE_ID_CHARS),
      peer,
      peerFingerprint: WIDEST_CHAR.repeat(MAX_FINGERPRINT_CHARS),
      bytes: new Uint8Array(PROBE_BODY_BYTES),
    },
    headers: { [FORWARDED.peer]: peer },
    attempt: MAX_ATTEMPT,
  });
  return maxFrameBytes - (worst.byteLength - PROBE_BODY_BYTES);
}
