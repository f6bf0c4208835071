import { counter, gauge, Registry } from '../../ops/index.ts';

/** What a registrar refuses before anything reaches the Oracle. */
export type RefusalReason = 'oversized' | 'wrong-version' | 'malformed' | 'refused' | 'rate-limited' | 'busy' | 'unavailable';

/** The figures every registrar keeps, labelled with its method (http, amp, dns), on the node's registry (a private one when the node gives none). */
export class RegistrarMetrics {
  private readonly registrations;
  private readonly refusals;
  private readonly waiting;
  /** Waits in flight now; the gauge reads it when scraped (see `ownWaiting`). */
  private waitingNow = 0;

  constructor(registry: Registry = new Registry(), private readonly method: string) {
    this.registrations = counter(registry, 'snowflake_registrations_total', 'Client registrations forwarded to the Oracle, by method and version', ['method', 'version']);
    this.refusals = counter(registry, 'snowflake_registrar_refusals_total', 'Requests a registrar refused itself, by method and reason', ['method', 'reason']);
    this.waiting = gauge(registry, 'snowflake_registrar_waiting', 'Polls and registrations waiting for the broker right now, by method', ['method']);
    this.waiting.set({ method }, 0);
    ownWaiting(this.waiting, method, this);
  }

  registration(version: string): void {
    this.registrations.inc({ method: this.method, version });
  }

  refusal(reason: RefusalReason): void {
    this.refusals.inc({ method: this.method, reason });
  }

  /** Called twice per request: a plain field, copied into the gauge only when it is read. */
  setWaiting(count: number): void {
    this.waitingNow = count;
  }

  /** @internal */
  get waitingCount(): number {
    return this.waitingNow;
  }
}

type WaitingGauge = ReturnType<typeof gauge<'method'>>;

/** Per waiting gauge (one per registry), the metrics whose count each method's value is: the newest. */
const waitingOwners = new WeakMap<WaitingGauge, Map<string, RegistrarMetrics>>();

/**
 * Makes `owner` the source of `method`'s value in the waiting gauge, read when the gauge is
 * collected (prom-client calls a metric's `collect` before reading it): a new incarnation of a
 * registrar takes its method's value over, as its constructor's `set(0)` did, and the old one is
 * let go.
 */
function ownWaiting(waiting: WaitingGauge, method: string, owner: RegistrarMetrics): void {
  let owners = waitingOwners.get(waiting);
  if (owners === undefined) {
    const all = new Map<string, RegistrarMetrics>();
    owners = all;
    waitingOwners.set(waiting, all);
    (waiting as { collect?: () => void }).collect = () => {
      for (const [name, metrics] of all) waiting.set({ method: name }, metrics.waitingCount);
    };
  }
  owners.set(method, owner);
}
