import { AirlockError } from '../../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../../lib/wire-errors.ts';

// The errors the control plane reports, registered at load so `errorFromWire` rebuilds them in any process.

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

const CONTROL_PLANE_ERRORS = defineWireErrors({
  ADMIN_SOCKET: AdminSocketError,
  CONTROL_KEY: ControlKeyError,
  CONTROL_UNAUTHORIZED: ControlUnauthorizedError,
  CONTROL_REPLAY: ControlReplayError,
});

declare module '../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof CONTROL_PLANE_ERRORS> {}
}
