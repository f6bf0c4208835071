import type { Clock } from '../../../lib/ports/clock.ts';
import {
  MAX_CIRCUIT_BYTES,
  MAX_CIRCUIT_DURATION_MS,
  MAX_CIRCUITS,
  MAX_CIRCUITS_PER_PARTY,
  MAX_RESERVATIONS,
  MAX_RESERVATIONS_PER_SOURCE,
  RESERVATION_TTL_MS,
} from '../limits.ts';
import type { Grant } from '../wire/frames.ts';
import type { Identity } from '../wire/identity.ts';
import type { RefusalCode } from '../wire/status.ts';

export interface RegistryLimits {
  ttlMs: number;
  maxReservations: number;
  maxReservationsPerSource: number;
  maxCircuitsPerParty: number;
  maxCircuits: number;
  maxCircuitDurationMs: number;
  maxCircuitBytes: number;
  /** When given, only these identities may reserve (others: RESERVATION_REFUSED). */
  allow?: readonly Identity[];
}

export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = {
  ttlMs: RESERVATION_TTL_MS,
  maxReservations: MAX_RESERVATIONS,
  maxReservationsPerSource: MAX_RESERVATIONS_PER_SOURCE,
  maxCircuitsPerParty: MAX_CIRCUITS_PER_PARTY,
  maxCircuits: MAX_CIRCUITS,
  maxCircuitDurationMs: MAX_CIRCUIT_DURATION_MS,
  maxCircuitBytes: MAX_CIRCUIT_BYTES,
};

export type Refused = { ok: false; code: RefusalCode };
export type Reserved = { ok: true; grant: Grant; expiresAt: number; replaced?: string };
export type CircuitOpened = { ok: true; link: string; grant: Grant };

/** Why a circuit ended, as its actor saw it. */
export type CircuitEnd = 'closed' | 'bytes' | 'duration' | 'error' | 'relay';

interface Reservation {
  identity: Identity;
  source: string;
  /** The registration link holding it (the listener's name for the connection). */
  link: string;
  expiresAt: number;
}

interface Circuit {
  target: Identity;
  source: string;
  openedAt: number;
}

export interface RegistryFigures {
  reservations: number;
  circuits: number;
  refusals: Partial<Record<RefusalCode, number>>;
  ended: Partial<Record<CircuitEnd, number>>;
}

/**
 * The relay's rules, transport-free (libp2p circuit relay v2's reservation semantics): a party
 * reserves under its identity for `ttlMs`, renews by reserving again, and loses it when it expires
 * or its link closes; a circuit towards it opens only while the reservation lives, within the
 * circuits per party and in all. Time comes from the Clock port; expiry is checked on use.
 */
export class Registry {
  private readonly reservations = new Map<Identity, Reservation>();
  private readonly circuits = new Map<string, Circuit>();
  private readonly refusals: Partial<Record<RefusalCode, number>> = {};
  private readonly ended: Partial<Record<CircuitEnd, number>> = {};

  constructor(
    private readonly clock: Clock,
    private readonly limits: RegistryLimits = DEFAULT_REGISTRY_LIMITS,
  ) {}

  /** A reservation for `identity` (proved by the link's client certificate), or a renewal of it. */
  reserve(identity: Identity, source: string, link: string): Reserved | Refused {
    this.expire();
    if (this.limits.allow && !this.limits.allow.includes(identity)) return this.refuse('RESERVATION_REFUSED');
    const held = this.reservations.get(identity);
    if (!held) {
      if (this.reservations.size >= this.limits.maxReservations) return this.refuse('RESOURCE_LIMIT_EXCEEDED');
      if (this.countBySource(source) >= this.limits.maxReservationsPerSource) return this.refuse('RESOURCE_LIMIT_EXCEEDED');
    } else if (held.source !== source && this.countBySource(source) >= this.limits.maxReservationsPerSource) {
      return this.refuse('RESOURCE_LIMIT_EXCEEDED');
    }
    const expiresAt = this.clock.now() + this.limits.ttlMs;
    this.reservations.set(identity, { identity, source, link, expiresAt });
    const replaced = held && held.link !== link ? held.link : undefined;
    return { ok: true, grant: this.grant(this.limits.ttlMs), expiresAt, ...(replaced ? { replaced } : {}) };
  }

  /** The link holding `identity`'s reservation closed: the reservation goes with it (a newer link's stays). */
  release(identity: Identity, link: string): void {
    if (this.reservations.get(identity)?.link === link) this.reservations.delete(identity);
  }

  /** B asks for a circuit to `target`: the link to tell, or why not. */
  openCircuit(target: Identity, source: string, circuit: string): CircuitOpened | Refused {
    this.expire();
    const reservation = this.reservations.get(target);
    if (!reservation) return this.refuse('NO_RESERVATION');
    if (this.circuits.size >= this.limits.maxCircuits) return this.refuse('RESOURCE_LIMIT_EXCEEDED');
    let towards = 0;
    let from = 0;
    for (const open of this.circuits.values()) {
      if (open.target === target) towards += 1;
      if (open.source === source) from += 1;
    }
    if (towards >= this.limits.maxCircuitsPerParty || from >= this.limits.maxCircuitsPerParty) return this.refuse('RESOURCE_LIMIT_EXCEEDED');
    this.circuits.set(circuit, { target, source, openedAt: this.clock.now() });
    return { ok: true, link: reservation.link, grant: this.grant(0) };
  }

  /** A circuit ended (or never got its accept): its slot is free. Unknown circuits are ignored. */
  closeCircuit(circuit: string, reason: CircuitEnd): void {
    if (!this.circuits.delete(circuit)) return;
    this.ended[reason] = (this.ended[reason] ?? 0) + 1;
  }

  /** A refusal the listener decided itself (a frame, a missing certificate), counted with the rest. */
  count(code: RefusalCode): Refused {
    return this.refuse(code);
  }

  /** The listener restarted: every link, so every reservation and circuit, is gone. */
  reset(): void {
    this.reservations.clear();
    this.circuits.clear();
  }

  reservationOf(identity: Identity): { expiresAt: number; link: string } | undefined {
    this.expire();
    const held = this.reservations.get(identity);
    return held && { expiresAt: held.expiresAt, link: held.link };
  }

  figures(): RegistryFigures {
    this.expire();
    return { reservations: this.reservations.size, circuits: this.circuits.size, refusals: { ...this.refusals }, ended: { ...this.ended } };
  }

  private grant(ttlMs: number): Grant {
    return { ttlMs, maxDurationMs: this.limits.maxCircuitDurationMs, maxBytes: this.limits.maxCircuitBytes };
  }

  private countBySource(source: string): number {
    let count = 0;
    for (const reservation of this.reservations.values()) if (reservation.source === source) count += 1;
    return count;
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [identity, reservation] of this.reservations) if (reservation.expiresAt <= now) this.reservations.delete(identity);
  }

  private refuse(code: RefusalCode): Refused {
    this.refusals[code] = (this.refusals[code] ?? 0) + 1;
    return { ok: false, code };
  }
}
