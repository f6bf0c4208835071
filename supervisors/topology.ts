import { address, type Transport } from '../lib/index.ts';
import type { SupervisorSpec } from './supervisor-spec.ts';

/** One node of a topology: a name (its root address) and its supervision tree. */
export interface NodeSpec {
  readonly name: string;
  readonly tree: SupervisorSpec;
  /** Where this node's mailboxes live when it runs alone; the in-process default otherwise. */
  readonly transport?: () => Transport;
}

/**
 * A whole system as a value: its nodes and their trees, in start order. The same value runs in
 * one process (`run(topology)`) or one node per process (`run(topology, { node })`).
 */
export interface Topology {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
}

export function defineTopology(name: string, nodes: Record<string, SupervisorSpec | Omit<NodeSpec, 'name'>>): Topology {
  return {
    name: address(name),
    nodes: Object.entries(nodes).map(([nodeName, value]) => ({
      name: address(nodeName),
      ...('kind' in value ? { tree: value } : value),
    })),
  };
}
