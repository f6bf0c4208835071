import type { Address } from './address.ts';
import type { ExitReason } from './events.ts';

/**
 * When a child that exited is restarted (OTP's restart types):
 * - `permanent`: always;
 * - `transient`: only after an abnormal exit (a crash or a kill), not after a normal one;
 * - `temporary`: never; the child is removed when it exits.
 */
export type Restart = 'permanent' | 'transient' | 'temporary';

/** How long a parent waits for a child to stop before killing it (OTP's shutdown). */
export type Shutdown = number | 'brutal' | 'infinity';

export type RunState = 'running' | 'stopped' | 'restarting' | 'failed';

/** A node of the supervision tree, as status reports show it. */
export interface ChildStatus {
  address: Address;
  kind: 'actor' | 'supervisor';
  state: RunState;
  restarts: number;
  /** Actors only: messages waiting, handled, failed. */
  mailboxDepth?: number;
  handled?: number;
  failed?: number;
  strategy?: string;
  children?: ChildStatus[];
  /** A standby child: the lease it contends for, and whether this node holds it (else it stands by). */
  standby?: { lease: string; holder: boolean };
}

/** Told when a child exits on its own (a crash, or a normal end), never for a stop it asked for. */
export interface ExitListener {
  childExited(child: Child, reason: ExitReason): void;
}

/** Anything a supervisor can start, stop and report on: an actor or another supervisor. */
export interface Child {
  readonly address: Address;
  readonly kind: 'actor' | 'supervisor';
  readonly running: boolean;
  /** Starts a fresh incarnation; throws when it cannot start. */
  start(): void;
  /** Stops it on its parent's behalf: gracefully within `within`, killed past it. */
  shutdown(within: Shutdown): Promise<void>;
  /**
   * Marks it (and all below it) as staying down until started again, so asks to it fail at once
   * with `ActorStoppedError` instead of waiting out their timeout. `start` clears the mark.
   */
  park(): void;
  status(): ChildStatus;
  /**
   * Set while a start is still setting up (an actor's async `setup`): resolves true once it runs,
   * false if it failed or was stopped first. Undefined when the start completed at once.
   * (`| undefined` spelled out: a getter that may return undefined implements it under a
   * consumer's `exactOptionalPropertyTypes`.)
   */
  readonly settingUp?: Promise<boolean> | undefined;
}

/** Calls `started` once `child`'s latest start has completed (at once, or when its setup resolves). */
export function afterStart(child: Child, started: () => void): void {
  const pending = child.settingUp;
  if (pending === undefined) return started();
  void pending.then((ran) => {
    if (ran) started();
  });
}
