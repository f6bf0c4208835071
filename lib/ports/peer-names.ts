import type { PeerIdentity } from './links.ts';

/** Every name a verified peer answers to: its SAN values (DNS, URI, IP) and its subject CN. */
export function namesOf(identity: PeerIdentity): string[] {
  const sans = identity.altNames.map((entry) => entry.slice(entry.indexOf(':') + 1));
  return identity.commonName === undefined ? sans : [...sans, identity.commonName];
}

/** Whether a verified peer carries `expected` among its names (DNS names compare case-insensitively). */
export function carriesName(identity: PeerIdentity, expected: string): boolean {
  const wanted = expected.toLowerCase();
  return namesOf(identity).some((name) => name.toLowerCase() === wanted);
}
