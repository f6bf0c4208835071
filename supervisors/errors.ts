import { AirlockError } from '../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../lib/wire-errors.ts';

// The errors supervision and the control plane reports, registered at load so `errorFromWire` rebuilds them in any process.

/** The control plane was asked to act on an address that no supervisor of this node holds. */
export class NotSupervisedError extends AirlockError {
  constructor(readonly address: string, reason = 'no supervised child there') {
    super('NOT_SUPERVISED', `cannot control ${address}: ${reason}`);
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

const SUPERVISION_ERRORS = defineWireErrors({
  NOT_SUPERVISED: NotSupervisedError,
  DUPLICATE_CHILD: DuplicateChildError,
  CHILD_RUNNING: ChildRunningError,
  TOO_MANY_CHILDREN: TooManyChildrenError,
  ADMIN_SOCKET: AdminSocketError,
  CONTROL_KEY: ControlKeyError,
  CONTROL_UNAUTHORIZED: ControlUnauthorizedError,
  CONTROL_REPLAY: ControlReplayError,
});

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof SUPERVISION_ERRORS> {}
}
