import { counter, gauge, Registry } from '../../ops/index.ts';

/** What a registrar refuses before anything reaches the Oracle. */
export type RefusalReason = 'oversized' | 'wrong-version' | 'malformed' | 'refused' | 'rate-limited' | 'busy' | 'unavailable';

/** The figures every registrar keeps, labelled with its method (http, amp, dns), on the node's registry (a private one when the node gives none). */
export class RegistrarMetrics {
  private readonly registrations;
  private readonly refusals;
  private readonly waiting;

  constructor(registry: Registry = new Registry(), private readonly method: string) {
    this.registrations = counter(registry, 'snowflake_registrations_total', 'Client registrations forwarded to the Oracle, by method and version', ['method', 'version']);
    this.refusals = counter(registry, 'snowflake_registrar_refusals_total', 'Requests a registrar refused itself, by method and reason', ['method', 'reason']);
    this.waiting = gauge(registry, 'snowflake_registrar_waiting', 'Polls and registrations waiting for the broker right now, by method', ['method']);
    this.waiting.set({ method }, 0);
  }

  registration(version: string): void {
    this.registrations.inc({ method: this.method, version });
  }

  refusal(reason: RefusalReason): void {
    this.refusals.inc({ method: this.method, reason });
  }

  setWaiting(count: number): void {
    this.waiting.set({ method: this.method }, count);
  }
}
