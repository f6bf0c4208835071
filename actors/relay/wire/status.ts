/**
 * Status codes of the relay's STATUS frame, libp2p circuit relay v2's values and meanings
 * (Status in circuit.proto), two bytes (big-endian) on the wire.
 */
export const STATUS = {
  OK: 100,
  /** The relay declines to hold a reservation for this party (policy: not on its allow-list). */
  RESERVATION_REFUSED: 200,
  /** A limit was reached: reservations, reservations per source, circuits per party, circuits in all. */
  RESOURCE_LIMIT_EXCEEDED: 201,
  /** The party may not do this: a reserve without a client certificate (plain TCP, or TLS without one). */
  PERMISSION_DENIED: 202,
  /** The reserved party did not accept the circuit in time, or its registration link is gone. */
  CONNECTION_FAILED: 203,
  /** No live reservation for the identity asked for: never made, expired, or its link closed. */
  NO_RESERVATION: 204,
  /** A frame that does not parse: another version, an unknown type, a field of the wrong size or past the limit. */
  MALFORMED_MESSAGE: 400,
  /** A well-formed frame where it is not allowed (an ACCEPT for no pending circuit, a second request). */
  UNEXPECTED_MESSAGE: 401,
} as const;

export type StatusName = keyof typeof STATUS;
export type RefusalCode = Exclude<StatusName, 'OK'>;
export const REFUSAL_CODES = Object.keys(STATUS).filter((name) => name !== 'OK') as RefusalCode[];

const BY_VALUE = new Map<number, StatusName>(Object.entries(STATUS).map(([name, value]) => [value, name as StatusName]));

/** The name of a status byte, or undefined for a value the relay never sends. */
export function statusName(value: number): StatusName | undefined {
  return BY_VALUE.get(value);
}
