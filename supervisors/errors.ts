import { AirlockError } from '../lib/errors.ts';
import { defineWireErrors, type RegisteredErrors } from '../lib/wire-errors.ts';

// The errors supervision reports, registered at load so `errorFromWire` rebuilds them in any process.

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

/** A dynamic child was asked of an address that is no dynamic supervisor (a plain one, or an actor). */
export class NotADynamicSupervisorError extends AirlockError {
  constructor(readonly address: string, reason = 'no dynamic supervisor there') {
    super('NOT_A_DYNAMIC_SUPERVISOR', `cannot manage children of ${address}: ${reason}`);
  }
}

const SUPERVISION_ERRORS = defineWireErrors({
  NOT_SUPERVISED: NotSupervisedError,
  DUPLICATE_CHILD: DuplicateChildError,
  CHILD_RUNNING: ChildRunningError,
  TOO_MANY_CHILDREN: TooManyChildrenError,
  NOT_A_DYNAMIC_SUPERVISOR: NotADynamicSupervisorError,
});

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof SUPERVISION_ERRORS> {}
}
