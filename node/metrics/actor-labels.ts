import { isWithin, type Address } from '../../lib/index.ts';
import { DYNAMIC_CHILDREN_SUFFIX, OTHER_ACTORS } from './limits.ts';

/**
 * The `actor` label of each address, from a bounded set: the children of a dynamic supervisor
 * (and their own children) share `<dynamic supervisor>/*`; any other actor is labelled by its
 * address. A label is admitted the first time it is seen, for the node's life (so a series never
 * moves to another label between scrapes), until `max` are admitted; later ones get `other`.
 */
export class ActorLabels {
  private readonly admitted = new Set<string>();

  constructor(private readonly max: number) {}

  /** `dynamicSupervisors`: the outermost ones of the node (a dynamic child's own dynamic supervisor is inside its parent's label). */
  labelOf(address: Address, dynamicSupervisors: readonly Address[]): string {
    const label = groupOf(address, dynamicSupervisors);
    if (this.admitted.has(label)) return label;
    if (this.admitted.size >= this.max) return OTHER_ACTORS;
    this.admitted.add(label);
    return label;
  }
}

function groupOf(address: Address, dynamicSupervisors: readonly Address[]): string {
  for (const supervisor of dynamicSupervisors) {
    if (address !== supervisor && isWithin(address, supervisor)) return supervisor + DYNAMIC_CHILDREN_SUFFIX;
  }
  return address;
}
