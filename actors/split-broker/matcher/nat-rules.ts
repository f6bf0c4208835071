import type { NatType } from '../wire/nat.ts';

/**
 * Snowflake's NAT rules (its broker's `ipc.go` and `snowflake-heap.go`): a waiting proxy joins
 * one of two pools by the NAT it reports, and a client is served from the pools its own NAT can
 * reach. A restricted proxy can only reach a client behind an unrestricted NAT, so such a client
 * takes a restricted proxy first, keeping the unrestricted ones for clients nobody else can serve.
 */
export type ProxyPool = 'unrestricted' | 'restricted';

/** The pool a proxy waits in: restricted and unknown NATs count as restricted. */
export function poolOf(proxyNat: NatType): ProxyPool {
  return proxyNat === 'unrestricted' ? 'unrestricted' : 'restricted';
}

const RESTRICTED_FIRST: readonly ProxyPool[] = ['restricted', 'unrestricted'];
const UNRESTRICTED_ONLY: readonly ProxyPool[] = ['unrestricted'];

/** The pools a client is served from, in order. */
export function poolsFor(clientNat: NatType): readonly ProxyPool[] {
  return clientNat === 'unrestricted' ? RESTRICTED_FIRST : UNRESTRICTED_ONLY;
}
