import type { Address } from './address.ts';
import { decodeEnvelope } from './codec.ts';
import type { Envelope } from './envelope.ts';
import { MalformedFrameError, ReplyAddressError, UnknownAddressError } from './errors.ts';
import type { AnyProtocol } from './protocol.ts';
import { inReplySpace } from './reply-address.ts';

/** No protocol here: a reply mailbox's, whose replies the pending ask they answer validates. */
export const UNVALIDATED = 'unvalidated';

/** Where frames from outside enter: the system (any hosted address), or one mailbox of a transport. */
export interface AdmissionGate {
  readonly maxFrameBytes: number;
  /** The mailbox whose queue the frames come from: each must be addressed to it. Absent for the system's own entry. */
  readonly mailbox?: Address;
  /** The protocol of the receiver at `to` (`UNVALIDATED` for a reply mailbox); undefined when nothing lives there. */
  protocolAt(to: Address): AnyProtocol | typeof UNVALIDATED | undefined;
}

/** What came of a frame: the envelope to deliver (its body validated), or the typed reason it was refused. */
export type Admission =
  | { readonly envelope: Envelope; readonly refused?: undefined }
  | { readonly refused: Error; readonly envelope: Envelope | undefined };

/**
 * The one way bytes from outside become an envelope an actor may see, for `deliverFrame` and every
 * transport that decodes: size-checked and decoded, refused when addressed into reply space (a
 * reply reaches only the pending ask the system issued, through its own reply mailbox), refused
 * when found in another address's queue, and validated against the receiver's protocol.
 */
export function admitFrame(frame: Uint8Array, gate: AdmissionGate): Admission {
  let envelope: Envelope;
  try {
    envelope = decodeEnvelope(frame, gate.maxFrameBytes);
  } catch (error) {
    return { refused: error as Error, envelope: undefined };
  }
  try {
    const protocol = receiverOf(envelope, gate);
    if (protocol === UNVALIDATED) return { envelope };
    return { envelope: { ...envelope, body: protocol.validate(envelope.type, envelope.body) } };
  } catch (error) {
    return { refused: error as Error, envelope };
  }
}

function receiverOf(envelope: Envelope, gate: AdmissionGate): AnyProtocol | typeof UNVALIDATED {
  const { to } = envelope;
  if (inReplySpace(to) && to !== gate.mailbox) {
    throw new ReplyAddressError(to, 'is a reply address: frames from outside may not be addressed to one');
  }
  if (gate.mailbox !== undefined && to !== gate.mailbox) {
    throw new MalformedFrameError(`addressed to ${to}, found in the queue of ${gate.mailbox}`);
  }
  const protocol = gate.protocolAt(to);
  if (protocol === undefined) throw new UnknownAddressError(to);
  return protocol;
}
