import { address as checkedAddress, type Address } from './address.ts';
import type { RunState } from './child.ts';
import { UnknownAddressError } from './errors.ts';

/** One child of a dynamic supervisor, as `ctx.dynamicSupervisor(address)` reports it. */
export interface DynamicChild {
  readonly id: string;
  readonly address: Address;
  readonly state: RunState;
  readonly restarts: number;
}

export interface DynamicChildStart<C = unknown> {
  /** The child's configuration: JSON data, validated on the hosting node against the template's `config` schema. */
  readonly config?: C;
}

/**
 * An actor's handle on the dynamic supervisor at `address`, wherever it runs (OTP's
 * `supervisor:start_child/terminate_child/which_children` on a simple_one_for_one). Every call
 * settles, never throws: a refusal rejects with a typed error (`NotADynamicSupervisorError`,
 * `DuplicateChildError`, `TooManyChildrenError`, `InvalidSpecError`, `NotSupervisedError`,
 * `ControlUnauthorizedError`, …).
 */
export interface DynamicSupervisorHandle<C = unknown> {
  readonly address: Address;
  /** Starts a new child `<address>/<id>` from the template; an id already there is refused (`DUPLICATE_CHILD`). */
  start(id: string, options?: DynamicChildStart<C>): Promise<DynamicChild>;
  /** Stops the child and removes it for good (its id is free again); resolves with its last status. */
  stop(id: string): Promise<DynamicChild>;
  /** Every child the supervisor holds, in start order. */
  list(): Promise<DynamicChild[]>;
}

/** What the composition root provides a system with: a handle on any dynamic supervisor, local or on another node. */
export interface DynamicSupervisors {
  handle(address: Address): DynamicSupervisorHandle;
}

/** Per system, as `lib/machine-reply.ts` keys machine contexts: lib cannot import the composition root that knows the supervisors. */
const providers = new WeakMap<object, DynamicSupervisors>();

/** `run()` calls this for its system; a later call (another topology on the same system) replaces the earlier. */
export function provideDynamicSupervisors(system: object, provider: DynamicSupervisors): void {
  providers.set(system, provider);
}

/**
 * The handle an actor of `system` gets. A malformed address rejects with `InvalidAddressError`
 * at first use; a system no topology runs on (a bare `createSystem`) has no dynamic supervisors,
 * so every call rejects with `UnknownAddressError`. The supervisors are looked up at each call,
 * not when the handle is taken: an actor may take it in `setup`, which runs while `run()` is
 * still starting the trees (before it provides them, and before the nodes after the actor's own
 * exist), and its calls, made later, must find them.
 */
export function dynamicChildrenOf(system: object, address: Address): DynamicSupervisorHandle {
  let valid: Address;
  try {
    valid = checkedAddress(address);
  } catch (error) {
    return refusing(address, error as Error);
  }
  const now = () => providers.get(system)?.handle(valid) ?? refusing(valid, new UnknownAddressError(valid));
  return { address: valid, start: (id, options) => now().start(id, options), stop: (id) => now().stop(id), list: () => now().list() };
}

function refusing(address: Address, error: Error): DynamicSupervisorHandle {
  return { address, start: () => Promise.reject(error), stop: () => Promise.reject(error), list: () => Promise.reject(error) };
}
