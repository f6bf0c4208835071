import { realClock } from '../../../lib/ports/clock.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
import { CONNECT_TIMEOUT_MS } from '../limits.ts';
import { identityBytes, type Identity } from '../wire/identity.ts';
import { tlsToParty, type RelayedStream } from './end-to-end.ts';
import { dialRelay, request } from './handshake.ts';
import type { ClientPorts, PartyTls, RelayHint } from './relay-hint.ts';

export interface ConnectOptions extends ClientPorts {
  /** Speak to the relay over its TLS port, so a passive observer does not see which identity is asked for. */
  viaTls?: boolean;
  /** How long the relay may take to pair the circuit (C dials back within the relay's accept deadline). */
  timeoutMs?: number;
}

/**
 * B's side: asks `relay` for a circuit to the party `identity` and runs TLS 1.3 to it over the
 * relayed bytes, C's certificate pinned by its identity. Resolves with an ordinary duplex stream;
 * rejects with `RelayRefusedError` (its `code` the relay's status: NO_RESERVATION,
 * RESOURCE_LIMIT_EXCEEDED, CONNECTION_FAILED, …), `IdentityMismatchError` when someone else
 * answered for C, `RelayUnavailableError`, or the TLS error.
 */
export async function connect(relay: RelayHint, identity: Identity, own: PartyTls, options: ConnectOptions = {}): Promise<RelayedStream> {
  const network = options.network ?? realNetwork;
  const clock = options.clock ?? realClock;
  identityBytes(identity);
  const base = await dialRelay(network, relay, options.viaTls ?? false, undefined, clock);
  const grant = await request(base, { type: 'CONNECT', identity }, 'connect', clock, options.timeoutMs ?? CONNECT_TIMEOUT_MS);
  return tlsToParty(base, identity, own, grant);
}
