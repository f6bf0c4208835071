/** The relay's wire: the framed handshake, its status codes and how an identity is named. */
export { FRAME_TYPE, FrameReader, HEADER_BYTES, MalformedRelayFrameError, decodeFrame, encodeFrame, type Frame, type Grant } from './frames.ts';
export { REFUSAL_CODES, STATUS, statusName, type RefusalCode, type StatusName } from './status.ts';
export { identityBytes, identityOf, isIdentity, type Identity } from './identity.ts';
