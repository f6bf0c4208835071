import type { Address } from './address.ts';
import type { Envelope } from './envelope.ts';

/** Why an actor or supervisor stopped running. */
export type ExitReason =
  | { kind: 'normal' }
  | { kind: 'shutdown' }
  /**
   * A supervisor that gave up (`error` says why, for humans): as OTP's, which exits with `shutdown`
   * past its intensity, it is restarted by its parent only if permanent (a normal exit for transient).
   */
  | { kind: 'shutdown'; error: Error }
  | { kind: 'killed'; error: Error }
  | { kind: 'failure'; error: Error };

export const NORMAL: ExitReason = { kind: 'normal' };
export const SHUTDOWN: ExitReason = { kind: 'shutdown' };

export function isAbnormal(reason: ExitReason): boolean {
  return reason.kind === 'failure' || reason.kind === 'killed';
}

/** Lifecycle and message events, as published on `system.events`. */
export type SystemEvent =
  | { kind: 'started'; address: Address; at: number }
  | { kind: 'stopped'; address: Address; at: number; reason: ExitReason }
  | { kind: 'failed'; address: Address; at: number; error: Error }
  | { kind: 'restarted'; address: Address; at: number; restarts: number }
  | { kind: 'dead-lettered'; address: Address; at: number; envelope?: Envelope; frame?: Uint8Array; reason: Error }
  | { kind: 'rejected'; address: Address; at: number; envelope?: Envelope; reason: Error }
  /** A reply that no pending ask of this system waits for, or addressed where no reply may go: never delivered. */
  | { kind: 'reply-dropped'; address: Address; at: number; envelope: Envelope; reason: Error }
  /** A node's control actor refused a request (`request`: its type) about `address`: bad auth, unknown address, … */
  | { kind: 'control-refused'; address: Address; at: number; request: string; from?: Address; reason: Error };

export type SystemEventKind = SystemEvent['kind'];
export type EventOf<K extends SystemEventKind> = Extract<SystemEvent, { kind: K }>;
