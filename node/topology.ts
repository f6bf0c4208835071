import type { Registry } from 'prom-client';
import { address, InvalidSpecError, type Transport } from '../lib/index.ts';
import { checkId } from '../supervisors/spec-validation.ts';
import type { SupervisorSpec } from '../supervisors/supervisor-spec.ts';

/** One node of a topology: a name (its root address) and its supervision tree. */
export interface NodeSpec {
  readonly name: string;
  readonly tree: SupervisorSpec;
  /** Where this node's mailboxes live when it runs alone; the in-process default otherwise. */
  readonly transport?: () => Transport;
  /**
   * This node's Prometheus registry, when its tree's actors fill one (an ops listener in the tree
   * serves it): `run(…, { metrics })` adds the airlock_* families to it rather than to a new one.
   */
  readonly metrics?: Registry;
}

/**
 * A whole system as a value: its nodes and their trees, in start order. The same value runs in
 * one process (`run(topology)`) or one node per process (`run(topology, { node })`).
 */
export interface Topology {
  readonly name: string;
  readonly nodes: readonly NodeSpec[];
}

/** Throws `InvalidSpecError` for a bad node name, a node without a supervisor tree, or no node at all. */
export function defineTopology(name: string, nodes: Record<string, SupervisorSpec | Omit<NodeSpec, 'name'>>): Topology {
  const entries = Object.entries(nodes ?? {});
  if (entries.length === 0) throw new InvalidSpecError(`of topology ${name}`, 'it has no node');
  return {
    name: address(name),
    nodes: entries.map(([nodeName, value]) => node(checkId(`of topology ${name}`, nodeName), value)),
  };
}

function node(name: string, value: SupervisorSpec | Omit<NodeSpec, 'name'>): NodeSpec {
  const spec = value !== null && typeof value === 'object' && 'kind' in value ? { tree: value } : value;
  if ((spec?.tree as { kind?: unknown } | undefined)?.kind !== 'supervisor') {
    throw new InvalidSpecError(`of node ${name}`, 'its tree is not a supervisor spec (supervisor(...) or dynamicSupervisor(...))');
  }
  return { name, ...spec };
}
