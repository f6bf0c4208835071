/**
 * Every failure airlock reports is an `AirlockError` with a stable `code`, so callers can
 * branch on `err.code` (or `instanceof`) instead of parsing messages. Each layer declares its
 * own codes and registers their classes (`registerErrors` in lib/wire-errors.ts); these are lib's.
 */
export class AirlockError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class AskTimeoutError extends AirlockError {
  constructor(readonly to: string, readonly type: string, readonly timeoutMs: number) {
    super('ASK_TIMEOUT', `ask '${type}' to ${to} got no reply within ${timeoutMs} ms`);
  }
}

export class UnknownAddressError extends AirlockError {
  constructor(readonly address: string) {
    super('UNKNOWN_ADDRESS', `no actor at address ${address}`);
  }
}

export class ActorStoppedError extends AirlockError {
  constructor(readonly address: string) {
    super('ACTOR_STOPPED', `actor ${address} stopped before it handled the message`);
  }
}

/** The receiver crashed while handling an asked message; `cause` is what it threw. */
export class ActorCrashedError extends AirlockError {
  constructor(readonly address: string, cause: unknown) {
    super('ACTOR_CRASHED', `actor ${address} crashed handling the message: ${errorMessage(cause)}`, { cause });
  }
}

/**
 * A durable transport delivered a message `attempts` times and its handling never finished: each
 * time the process or the connection holding it died first. It is dead-lettered unhandled, so a
 * message that kills whatever takes it cannot take down one node after another for ever.
 */
export class DeliveryAttemptsExceededError extends AirlockError {
  constructor(readonly address: string, readonly attempts: number) {
    super('DELIVERY_ATTEMPTS_EXCEEDED', `a message to ${address} was delivered ${attempts} times and its handling never finished (its process or connection died each time)`);
  }
}

/** `capacity` is unknown to a sender whose broker refused the message (a queue at its `x-max-length`). */
export class MailboxFullError extends AirlockError {
  constructor(readonly address: string, readonly capacity?: number) {
    super('MAILBOX_FULL', `mailbox of ${address} is full (${capacity === undefined ? 'the broker refused the message' : `${capacity} messages`})`);
  }
}

export class UnknownMessageTypeError extends AirlockError {
  constructor(readonly protocol: string, readonly type: string) {
    super('UNKNOWN_MESSAGE_TYPE', `protocol ${protocol} has no message '${type}'`);
  }
}

export class InvalidMessageError extends AirlockError {
  constructor(readonly protocol: string, readonly type: string, readonly issues: string[]) {
    super('INVALID_MESSAGE', `message '${type}' does not match protocol ${protocol}: ${issues.join('; ')}`);
  }
}

export class MalformedFrameError extends AirlockError {
  constructor(reason: string, cause?: unknown) {
    super('MALFORMED_FRAME', `malformed frame: ${reason}`, { cause });
  }
}

export class OversizedMessageError extends AirlockError {
  constructor(readonly size: number, readonly limit: number) {
    super('OVERSIZED_MESSAGE', `message of ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

export class InvalidAddressError extends AirlockError {
  constructor(readonly address: string, reason: string) {
    super('INVALID_ADDRESS', `invalid address '${address}': ${reason}`);
  }
}

/** A `traceparent` given to send that is not W3C trace context (see lib/trace-context.ts). */
export class InvalidTraceparentError extends AirlockError {
  constructor(readonly value: string) {
    super('INVALID_TRACEPARENT', `'${value.slice(0, 64)}' is not a W3C traceparent (version-traceid-parentid-flags in lower-case hex)`);
  }
}

export class DuplicateAddressError extends AirlockError {
  constructor(readonly address: string) {
    super('DUPLICATE_ADDRESS', `an actor already lives at ${address}`);
  }
}

export class ShutdownTimeoutError extends AirlockError {
  constructor(readonly address: string, readonly timeoutMs: number) {
    super('SHUTDOWN_TIMEOUT', `actor ${address} did not stop within ${timeoutMs} ms and was killed`);
  }
}

/** A supervisor restarted its children more often than its intensity allows and gave up. */
export class IntensityExceededError extends AirlockError {
  constructor(readonly address: string, readonly maxRestarts: number, readonly withinMs: number) {
    super('INTENSITY_EXCEEDED', `supervisor ${address} exceeded ${maxRestarts} restarts in ${withinMs} ms`);
  }
}

export class SystemStoppedError extends AirlockError {
  constructor() {
    super('SYSTEM_STOPPED', 'the actor system is stopped');
  }
}


/** A child, supervisor or topology spec that cannot run (bad id, restart type, intensity, shutdown, …). */
export class InvalidSpecError extends AirlockError {
  constructor(readonly spec: string, readonly reason: string) {
    super('INVALID_SPEC', `invalid spec ${spec}: ${reason}`);
  }
}








/** A transport that was asked for is not available in this build or could not be set up. */
export class TransportUnavailableError extends AirlockError {
  constructor(readonly transport: string, reason: string, options?: { cause?: unknown }) {
    super('TRANSPORT_UNAVAILABLE', `transport ${transport} is unavailable: ${reason}`, options);
  }
}




/** The transport was closed while the message was still unconfirmed. */
export class TransportClosedError extends AirlockError {
  constructor(readonly transport: string) {
    super('TRANSPORT_CLOSED', `transport ${transport} is closed`);
  }
}

/** A host could not be reached: no listener there, or a partition in the way. */
export class NetworkUnreachableError extends AirlockError {
  constructor(readonly from: string, readonly to: string) {
    super('NETWORK_UNREACHABLE', `${to} is unreachable from ${from}`);
  }
}


/** The message of anything thrown, for logs and error texts. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}


/** A reply addressed anywhere but a reply address a system issued, or a frame from outside addressed to one. */
export class ReplyAddressError extends AirlockError {
  constructor(readonly address: string, why: string) {
    super('REPLY_ADDRESS', `'${clip(address)}' ${why}`);
  }
}

/** A reply no pending ask waits for: unknown correlation id, answered already, or timed out. */
export class UnexpectedReplyError extends AirlockError {
  constructor(readonly correlationId: string | undefined) {
    super('UNEXPECTED_REPLY', `no pending ask waits for a reply to '${clip(correlationId ?? '')}'`);
  }
}

/** Hostile input can make a field arbitrarily long; an error message shows its start. */
function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 80)}… (${text.length} characters)`;
}

/** A machine actor handled an asked message without answering it, so no reply can ever come. */
export class NoReplyError extends AirlockError {
  constructor(readonly address: string, readonly type: string) {
    super(
      'NO_REPLY',
      `ask '${type}' to ${address}: the machine did not reply: call ctx.reply (or ctx.replyLater) in the transition's action, or use the replyWith helper`,
    );
  }
}



/** A transport cannot keep the mailbox bounds an actor declares (e.g. backpressure in a broker queue). */
export class UnsupportedMailboxError extends AirlockError {
  constructor(readonly address: string, readonly transport: string, reason: string) {
    super('UNSUPPORTED_MAILBOX', `mailbox of ${address} cannot live in transport ${transport}: ${reason}`);
  }
}


/** The far side of a link refused it, or refused a delivery on it, with an AMQP 1.0 error condition. */
export class LinkRefusedError extends AirlockError {
  constructor(readonly condition: string, readonly description: string, readonly address: string) {
    super('LINK_REFUSED', `link ${clip(address)}: ${condition}: ${clip(description)}`);
  }
}

/** The link, session or connection ended before the far side settled what was sent on it. */
export class LinkLostError extends AirlockError {
  constructor(readonly address: string, readonly reason: string) {
    super('LINK_LOST', `link ${clip(address)} lost before settlement: ${clip(reason)}`);
  }
}

/** No authenticated session could be set up with the peer (unreachable, TLS handshake refused, AMQP open failed). */
export class LinkConnectError extends AirlockError {
  constructor(readonly to: string, readonly reason: string, cause?: unknown) {
    super('LINK_CONNECT', `no link session with ${to}: ${clip(reason)}`, { cause });
  }
}

/** No authenticated session with the peer within the deadline (TCP, TLS and the AMQP open together): a hung peer must not hold the dialler. */
export class LinkConnectTimeoutError extends AirlockError {
  constructor(readonly to: string, readonly timeoutMs: number) {
    super('LINK_CONNECT_TIMEOUT', `no link session with ${to} within ${timeoutMs} ms`);
  }
}

/** The peer's verified certificate does not carry the name this side expected. */
export class PeerIdentityError extends AirlockError {
  constructor(readonly expected: string, readonly presented: string[]) {
    super('PEER_IDENTITY', `peer certificate names [${presented.map(clip).join(', ')}], expected '${clip(expected)}'`);
  }
}

/** A lease (leader election) cannot be held: it was closed, or the node's transport offers none (only RabbitMQ does). */
export class LeaseUnavailableError extends AirlockError {
  constructor(readonly lease: string, readonly reason: string) {
    super('LEASE_UNAVAILABLE', `lease ${clip(lease)} unavailable: ${clip(reason)}`);
  }
}

/** Two layers registered one error code: `errorFromWire` could not tell their classes apart. */
export class DuplicateErrorCodeError extends AirlockError {
  constructor(readonly duplicate: string, readonly registered: string, readonly claimant: string) {
    super('DUPLICATE_ERROR_CODE', `error code ${duplicate} belongs to ${registered} already; ${claimant} cannot register it too`);
  }
}
