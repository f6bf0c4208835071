import * as errors from './errors.ts';
import { AirlockError } from './errors.ts';

/** An error as it crosses a process boundary: its code, message and plain fields (address, …). */
export interface WireError {
  code: string;
  message: string;
  fields?: Record<string, string | number | boolean | string[]>;
}

type ErrorClass = abstract new (...args: never[]) => AirlockError;

/** `Class`, if its instances' `code` is the literal `Code` or any string; `never` (a compile error) if another literal. */
type CodedAs<Code, Class> = Class extends abstract new (...args: never[]) => { readonly code: infer Own }
  ? string extends Own
    ? Class
    : Own extends Code
      ? Class
      : never
  : never;

/** A layer's codes and their classes, as `defineWireErrors` returned them: what its `ErrorRegistry` augmentation extends. */
export type RegisteredErrors<Classes> = { -readonly [Code in keyof Classes]: Classes[Code] };

const CLASS_BY_CODE = new Map<string, ErrorClass>();

/**
 * Registers a layer's error classes by code, at the load of the module defining them, so
 * `errorFromWire` rebuilds those errors as their class in any process, and returns them for the
 * layer's claim on its codes in `ErrorRegistry`. A layer's `errors.ts` ends with:
 *
 *   const SIM_ERRORS = defineWireErrors({ SIMULATED_CRASH: SimulatedCrashError, … });
 *   declare module '../lib/wire-errors.ts' {
 *     interface ErrorRegistry extends RegisteredErrors<typeof SIM_ERRORS> {}
 *   }
 *
 * A code belongs to one class: claimed by two layers with different classes, `ErrorRegistry`
 * fails to compile (it cannot extend both), and the second registration to load throws
 * `DuplicateErrorCodeError`. A class whose `code` is a literal is registered under that literal.
 */
export function defineWireErrors<const Classes extends { [Code in keyof Classes]: CodedAs<Code, Classes[Code]> } & Record<string, ErrorClass>>(
  classes: Classes,
): Classes {
  registerErrors(classes);
  return classes;
}

/**
 * Registers each code's class (`defineWireErrors` without the typed result): a code `ErrorRegistry`
 * gives another class fails to compile, and `DuplicateErrorCodeError` when another class registered it first.
 */
export function registerErrors(classes: Partial<ErrorRegistry> & Record<string, ErrorClass>): void {
  for (const [code, Class] of Object.entries(classes) as [string, ErrorClass][]) {
    const known = CLASS_BY_CODE.get(code);
    // The same class again is its module loaded twice (a loader's second instance), not a clash.
    if (known && known.name !== Class.name) throw new errors.DuplicateErrorCodeError(code, known.name, Class.name);
    CLASS_BY_CODE.set(code, Class);
  }
}

const LIB_ERRORS = defineWireErrors({
  ASK_TIMEOUT: errors.AskTimeoutError,
  UNKNOWN_ADDRESS: errors.UnknownAddressError,
  ACTOR_STOPPED: errors.ActorStoppedError,
  ACTOR_CRASHED: errors.ActorCrashedError,
  DELIVERY_ATTEMPTS_EXCEEDED: errors.DeliveryAttemptsExceededError,
  MAILBOX_FULL: errors.MailboxFullError,
  UNKNOWN_MESSAGE_TYPE: errors.UnknownMessageTypeError,
  INVALID_MESSAGE: errors.InvalidMessageError,
  MALFORMED_FRAME: errors.MalformedFrameError,
  OVERSIZED_MESSAGE: errors.OversizedMessageError,
  INVALID_ADDRESS: errors.InvalidAddressError,
  DUPLICATE_ADDRESS: errors.DuplicateAddressError,
  INVALID_TRACEPARENT: errors.InvalidTraceparentError,
  SHUTDOWN_TIMEOUT: errors.ShutdownTimeoutError,
  INTENSITY_EXCEEDED: errors.IntensityExceededError,
  SYSTEM_STOPPED: errors.SystemStoppedError,
  TRANSPORT_UNAVAILABLE: errors.TransportUnavailableError,
  TRANSPORT_CLOSED: errors.TransportClosedError,
  NETWORK_UNREACHABLE: errors.NetworkUnreachableError,
  INVALID_SPEC: errors.InvalidSpecError,
  REPLY_ADDRESS: errors.ReplyAddressError,
  UNEXPECTED_REPLY: errors.UnexpectedReplyError,
  NO_REPLY: errors.NoReplyError,
  UNSUPPORTED_MAILBOX: errors.UnsupportedMailboxError,
  LINK_REFUSED: errors.LinkRefusedError,
  LINK_LOST: errors.LinkLostError,
  LINK_CONNECT: errors.LinkConnectError,
  LINK_CONNECT_TIMEOUT: errors.LinkConnectTimeoutError,
  PEER_IDENTITY: errors.PeerIdentityError,
  LEASE_UNAVAILABLE: errors.LeaseUnavailableError,
  DUPLICATE_ERROR_CODE: errors.DuplicateErrorCodeError,
});

/**
 * Every error code and its class: lib's, and each layer's, added by the `declare module` that
 * ends its `errors.ts` (see `defineWireErrors`). Two layers claiming one code with different
 * classes fail to compile.
 */
export interface ErrorRegistry extends RegisteredErrors<typeof LIB_ERRORS> {}

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
  const error = new AirlockError(code, text);
  const Class = CLASS_BY_CODE.get(code);
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
