/**
 * Every failure airlock reports is an `AirlockError` with a stable `code`, so callers can
 * branch on `err.code` (or `instanceof`) instead of parsing messages.
 */
export type ErrorCode =
  | 'ASK_TIMEOUT'
  | 'UNKNOWN_ADDRESS'
  | 'ACTOR_STOPPED'
  | 'ACTOR_CRASHED'
  | 'MAILBOX_FULL'
  | 'UNKNOWN_MESSAGE_TYPE'
  | 'INVALID_MESSAGE'
  | 'MALFORMED_FRAME'
  | 'OVERSIZED_MESSAGE'
  | 'INVALID_ADDRESS'
  | 'DUPLICATE_ADDRESS'
  | 'SHUTDOWN_TIMEOUT'
  | 'INTENSITY_EXCEEDED'
  | 'SYSTEM_STOPPED'
  | 'NETWORK_UNREACHABLE'
  | 'SIMULATED_CRASH'
  | 'NOT_SUPERVISED'
  | 'ADMIN_SOCKET'
  | 'CONTROL_KEY'
  | 'CONTROL_UNAUTHORIZED'
  | 'CONTROL_REPLAY'
  | 'TRANSPORT_UNAVAILABLE'
  | 'BAD_USAGE'
  | 'BROKER_UNAVAILABLE'
  | 'PUBLISH_NACKED'
  | 'TRANSPORT_CLOSED'
  | 'OVERSIZED_HEADERS'
  | 'UNPUBLISHABLE_MESSAGE'
  | 'INVALID_SPEC'
  | 'DUPLICATE_CHILD'
  | 'CHILD_RUNNING'
  | 'TOO_MANY_CHILDREN'
  | 'REPLY_ADDRESS'
  | 'UNEXPECTED_REPLY'
  | 'NO_REPLY'
  | 'NODE_TIMEOUT'
  | 'NODE_DOWN'
  | 'UNSUPPORTED_MAILBOX'
  | 'QUEUE_MISMATCH'
  | 'LINK_REFUSED'
  | 'LINK_LOST'
  | 'LINK_CONNECT'
  | 'PEER_IDENTITY'
  | 'LEASE_UNAVAILABLE';

export class AirlockError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
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
    super('ACTOR_CRASHED', `actor ${address} crashed handling the message: ${describe(cause)}`, { cause });
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

/** The control plane was asked to act on an address that no supervisor of this node holds. */
export class NotSupervisedError extends AirlockError {
  constructor(readonly address: string, reason = 'no supervised child there') {
    super('NOT_SUPERVISED', `cannot control ${address}: ${reason}`);
  }
}

/** A child, supervisor or topology spec that cannot run (bad id, restart type, intensity, shutdown, …). */
export class InvalidSpecError extends AirlockError {
  constructor(readonly spec: string, readonly reason: string) {
    super('INVALID_SPEC', `invalid spec ${spec}: ${reason}`);
  }
}

/** A supervisor was asked to start a child under an id one of its children already has. */
export class DuplicateChildError extends AirlockError {
  constructor(readonly address: string) {
    super('DUPLICATE_CHILD', `supervisor already has a child at ${address}`);
  }
}

/** Only a stopped child can be deleted from its supervisor (OTP's delete_child). */
export class ChildRunningError extends AirlockError {
  constructor(readonly address: string) {
    super('CHILD_RUNNING', `child ${address} is running: stop it before deleting it`);
  }
}

/** A dynamic supervisor already runs as many children as its `maxChildren` allows. */
export class TooManyChildrenError extends AirlockError {
  constructor(readonly address: string, readonly maxChildren: number) {
    super('TOO_MANY_CHILDREN', `supervisor ${address} already has ${maxChildren} children (its maxChildren)`);
  }
}

/** A node's local admin socket could not be served or reached (missing, stale, unsafe, in use). */
export class AdminSocketError extends AirlockError {
  constructor(readonly path: string, reason: string, options?: { cause?: unknown }) {
    super('ADMIN_SOCKET', `admin socket ${path}: ${reason}`, options);
  }
}

/** The control key file is missing, unreadable, or unsafe (readable by others, owned by someone else). */
export class ControlKeyError extends AirlockError {
  constructor(readonly path: string, reason: string, options?: { cause?: unknown }) {
    super('CONTROL_KEY', `control key ${path}: ${reason}`, options);
  }
}

/** A state-changing control request without a valid authenticator from the node's control key. */
export class ControlUnauthorizedError extends AirlockError {
  constructor(readonly node: string, reason: string) {
    super('CONTROL_UNAUTHORIZED', `control request to node ${node} refused: ${reason}`);
  }
}

/** An authentic control request that was already acted on, or signed outside the time window. */
export class ControlReplayError extends AirlockError {
  constructor(readonly node: string, reason: string) {
    super('CONTROL_REPLAY', `control request to node ${node} refused as a possible replay: ${reason}`);
  }
}

/** A transport that was asked for is not available in this build or could not be set up. */
export class TransportUnavailableError extends AirlockError {
  constructor(readonly transport: string, reason: string, options?: { cause?: unknown }) {
    super('TRANSPORT_UNAVAILABLE', `transport ${transport} is unavailable: ${reason}`, options);
  }
}

/** A command was called the wrong way (unknown subcommand, missing argument, no topology export). */
export class BadUsageError extends AirlockError {
  constructor(message: string) {
    super('BAD_USAGE', message);
  }
}

/** The message broker could not be reached (first connection) within the time allowed. */
export class BrokerUnavailableError extends AirlockError {
  constructor(readonly url: string, cause?: unknown) {
    super('BROKER_UNAVAILABLE', `message broker at ${url} is unreachable: ${describe(cause)}`, { cause });
  }
}

/** The broker refused to take responsibility for a published message (a publisher-confirm nack). */
export class PublishNackedError extends AirlockError {
  constructor(readonly to: string) {
    super('PUBLISH_NACKED', `the broker refused (nacked) a message to ${to}`);
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

/** A crash a simulation injected on purpose (seeded), to exercise supervision and redelivery. */
export class SimulatedCrashError extends AirlockError {
  constructor(readonly address: string) {
    super('SIMULATED_CRASH', `simulated crash of ${address}`);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A message arrived with more header bytes than the transport accepts (its body is never read). */
export class OversizedHeadersError extends AirlockError {
  constructor(readonly size: number, readonly limit: number) {
    super('OVERSIZED_HEADERS', `message headers of ${size} bytes exceed the limit of ${limit} bytes`);
  }
}

/** The client library refused to encode a publish (e.g. a routing key over 255 bytes); nothing was sent. */
export class UnpublishableMessageError extends AirlockError {
  constructor(readonly to: string, cause: unknown) {
    super('UNPUBLISHABLE_MESSAGE', `a message to ${to.slice(0, 300)} cannot be published: ${describe(cause)}`, { cause });
  }
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
      `ask '${type}' to ${address}: the machine did not reply: call ctx.reply (or ctx.deferReply) in the transition's action, or use the replyWith helper`,
    );
  }
}

/** A node asked over the control plane gave no answer in time; `likely` says why it may be so. */
export class NodeTimeoutError extends AirlockError {
  constructor(readonly node: string, readonly timeoutMs: number, readonly via: string, likely: string) {
    super('NODE_TIMEOUT', `no answer from node ${node} within ${timeoutMs} ms (${via}): ${likely}`);
  }
}

/** A node asked over the broker has no control queue: it is not running there (or not in that namespace). */
export class NodeDownError extends AirlockError {
  constructor(readonly node: string, readonly via: string, likely: string) {
    super('NODE_DOWN', `node ${node} is not running (${via} has no control queue for it): ${likely}`);
  }
}

/** A transport cannot keep the mailbox bounds an actor declares (e.g. backpressure in a broker queue). */
export class UnsupportedMailboxError extends AirlockError {
  constructor(readonly address: string, readonly transport: string, reason: string) {
    super('UNSUPPORTED_MAILBOX', `mailbox of ${address} cannot live in transport ${transport}: ${reason}`);
  }
}

/** A broker queue exists with other arguments (bounds) than the mailbox declaring it needs; they are fixed at creation. */
export class QueueMismatchError extends AirlockError {
  constructor(readonly queue: string, reason: string, options?: { cause?: unknown }) {
    super('QUEUE_MISMATCH', `queue ${queue} exists with other arguments than this mailbox needs (${reason}): delete it, or declare the same bounds`, options);
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
