import * as errors from './errors.ts';
import { AirlockError, type ErrorCode } from './errors.ts';

/** An error as it crosses a process boundary: its code, message and plain fields (address, …). */
export interface WireError {
  code: string;
  message: string;
  fields?: Record<string, string | number | boolean | string[]>;
}

type ErrorClass = abstract new (...args: never[]) => AirlockError;

/** Each code's class: a new code fails to compile until it is listed here. */
const CLASS_BY_CODE: Record<ErrorCode, ErrorClass> = {
  ASK_TIMEOUT: errors.AskTimeoutError,
  UNKNOWN_ADDRESS: errors.UnknownAddressError,
  ACTOR_STOPPED: errors.ActorStoppedError,
  ACTOR_CRASHED: errors.ActorCrashedError,
  MAILBOX_FULL: errors.MailboxFullError,
  UNKNOWN_MESSAGE_TYPE: errors.UnknownMessageTypeError,
  INVALID_MESSAGE: errors.InvalidMessageError,
  MALFORMED_FRAME: errors.MalformedFrameError,
  OVERSIZED_MESSAGE: errors.OversizedMessageError,
  INVALID_ADDRESS: errors.InvalidAddressError,
  DUPLICATE_ADDRESS: errors.DuplicateAddressError,
  SHUTDOWN_TIMEOUT: errors.ShutdownTimeoutError,
  INTENSITY_EXCEEDED: errors.IntensityExceededError,
  SYSTEM_STOPPED: errors.SystemStoppedError,
  NOT_SUPERVISED: errors.NotSupervisedError,
  ADMIN_SOCKET: errors.AdminSocketError,
  CONTROL_KEY: errors.ControlKeyError,
  CONTROL_UNAUTHORIZED: errors.ControlUnauthorizedError,
  CONTROL_REPLAY: errors.ControlReplayError,
  TRANSPORT_UNAVAILABLE: errors.TransportUnavailableError,
  BAD_USAGE: errors.BadUsageError,
  BROKER_UNAVAILABLE: errors.BrokerUnavailableError,
  PUBLISH_NACKED: errors.PublishNackedError,
  TRANSPORT_CLOSED: errors.TransportClosedError,
  NETWORK_UNREACHABLE: errors.NetworkUnreachableError,
  SIMULATED_CRASH: errors.SimulatedCrashError,
  OVERSIZED_HEADERS: errors.OversizedHeadersError,
  UNPUBLISHABLE_MESSAGE: errors.UnpublishableMessageError,
  INVALID_SPEC: errors.InvalidSpecError,
  DUPLICATE_CHILD: errors.DuplicateChildError,
  CHILD_RUNNING: errors.ChildRunningError,
  TOO_MANY_CHILDREN: errors.TooManyChildrenError,
  REPLY_ADDRESS: errors.ReplyAddressError,
  UNEXPECTED_REPLY: errors.UnexpectedReplyError,
  NO_REPLY: errors.NoReplyError,
  NODE_TIMEOUT: errors.NodeTimeoutError,
  NODE_DOWN: errors.NodeDownError,
  UNSUPPORTED_MAILBOX: errors.UnsupportedMailboxError,
  QUEUE_MISMATCH: errors.QueueMismatchError,
  LINK_REFUSED: errors.LinkRefusedError,
  LINK_LOST: errors.LinkLostError,
  LINK_CONNECT: errors.LinkConnectError,
  PEER_IDENTITY: errors.PeerIdentityError,
  LEASE_UNAVAILABLE: errors.LeaseUnavailableError,
};

const RESERVED = new Set(['code', 'message', 'name', 'stack', 'cause', '__proto__', 'constructor', 'prototype']);

function isPlain(value: unknown): value is string | number | boolean | string[] {
  return ['string', 'number', 'boolean'].includes(typeof value) || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

/** What of `error` travels: its code, message, and own fields that are plain values. */
export function errorToWire(error: Error): WireError {
  const fields: WireError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (!RESERVED.has(key) && isPlain(value)) fields[key] = value;
  }
  const code = error instanceof AirlockError ? error.code : 'INTERNAL';
  return Object.keys(fields).length > 0 ? { code, message: error.message, fields } : { code, message: error.message };
}

/**
 * Rebuilds an error from the wire as an instance of its own class (so `instanceof
 * ActorCrashedError` and `error.address` work across processes), with only plain fields copied.
 */
export function errorFromWire(body: unknown): Error {
  // Only own plain fields are read, whatever `body` is (a decoded Error, a class instance, junk):
  // the error returned is always built here, never `body` itself.
  const code = ownField(body, 'code');
  const message = ownField(body, 'message');
  const fields = ownField(body, 'fields');
  const text = typeof message === 'string' ? message : 'remote error';
  if (typeof code !== 'string') return new Error(text);
  const error = new AirlockError(code as ErrorCode, text);
  const Class = Object.hasOwn(CLASS_BY_CODE, code) ? CLASS_BY_CODE[code as ErrorCode] : undefined;
  if (Class) {
    Object.setPrototypeOf(error, Class.prototype);
    error.name = Class.name;
  }
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    for (const [key, value] of Object.entries(fields)) {
      if (!RESERVED.has(key) && isPlain(value)) Object.defineProperty(error, key, { value, enumerable: true });
    }
  }
  return error;
}

/** An own property of an object (never one inherited, nor a getter's result); undefined otherwise. */
function ownField(body: unknown, key: string): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(body, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}
