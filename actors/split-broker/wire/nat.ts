/** The NAT behaviours Snowflake proxies and clients report (its `common/nat`). */
export const NAT_TYPES = ['unknown', 'restricted', 'unrestricted'] as const;
export type NatType = (typeof NAT_TYPES)[number];

/** Snowflake reads an absent NAT as "unknown" and refuses any value outside the three. */
export function parseNat(value: string | undefined): NatType | undefined {
  if (value === undefined || value === '') return 'unknown';
  return (NAT_TYPES as readonly string[]).includes(value) ? (value as NatType) : undefined;
}
