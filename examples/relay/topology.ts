/**
 * The ciphertext relay as a one-node topology: the relay node's tree is `relayTree` (registry,
 * circuits, listener). A party C behind NAT attaches to it with `attach`, a party B reaches C
 * through it with `connect` (`airlock/relay`'s client library); see demo.ts.
 */
import { defineTopology, type Topology } from '../../index.ts';
import { relayTree, type RelayOptions } from '../../actors/relay/index.ts';

export interface RelayPorts {
  /** Plain TCP (CONNECT, ACCEPT). */
  tcp: number;
  /** TLS to the relay (RESERVE; CONNECT/ACCEPT hidden from observers). */
  tls: number;
}

/** One node, `relay`, listening on `host` (a public address in a real deployment). */
export function relayTopology(material: { key: string; cert: string }, ports: RelayPorts, host = '127.0.0.1', options: Omit<RelayOptions, 'tcp' | 'tls' | 'at'> = {}): Topology {
  return defineTopology('relay', {
    relay: relayTree({ ...options, at: 'relay', tcp: { host, port: ports.tcp }, tls: { host, port: ports.tls, key: material.key, cert: material.cert } }),
  });
}
