import type { ChildStatus } from '../lib/index.ts';
import type { MessageRecord } from '../transports/sim/index.ts';
import type { SimWorld, WatchedTree } from './world.ts';

/** A broken invariant: which, what exactly, and the ids whose trace lines show it. */
export interface Violation {
  readonly invariant: string;
  readonly detail: string;
  readonly subjects: readonly string[];
}

/** At most this many violations of one invariant are reported per run. */
const REPORT_LIMIT = 5;

/**
 * The checks every run ends with: confirmed messages are not lost, each is handled once (a
 * second handling is excused only when the node incarnation that handled it first crashed, since
 * the dedupe window dies with its process), per-link order where the transport promises it, bounded completion after the
 * faults heal, and supervisors' restarts within their intensity or escalated.
 */
export function checkInvariants(world: SimWorld): Violation[] {
  return [
    ...faultsApplied(world),
    ...completedInBound(world),
    ...confirmedNotLost(world),
    ...handledOnce(world),
    ...(world.options.transport === 'in-process' ? orderPerLink(world) : []),
    ...supervisionWithinIntensity(world),
  ];
}

function limited(violations: Violation[]): Violation[] {
  return violations.slice(0, REPORT_LIMIT);
}

/** Every scheduled fault applied: a crash test that crashed nothing fails, naming the fault. */
export function faultsApplied(world: SimWorld): Violation[] {
  return world.unappliedFaults.map((error) => ({ invariant: 'faults-applied', detail: error.message, subjects: [error.target] }));
}

/** At most this many groups of timers, and of busy actors, are named in a bounded-completion failure. */
const PENDING_NAMED = 5;

export function completedInBound(world: SimWorld): Violation[] {
  if (world.outcome === 'idle') return [];
  const pending = [...world.ledger.messages.values()].filter((record) => !settled(record)).map((record) => record.id);
  return [{
    invariant: 'bounded-completion',
    detail: `work still pending ${world.options.settleWithinMs} ms after the faults healed (at ${world.healedAt} ms): ${pending.length} messages unsettled; ${pendingTimers(world)}; ${busyActors(world)}`,
    subjects: pending.slice(0, 3),
  }];
}

/** The timers the nodes' actors and systems still had waiting, by who set them (`node#n address`). */
function pendingTimers(world: SimWorld): string {
  const groups = world.scheduler.pendingTimers();
  if (groups.length === 0) return 'no node timers pending';
  const named = groups.slice(0, PENDING_NAMED).map(({ label, count, nextAt }) => `${label} ×${count} (next at ${nextAt} ms)`);
  const more = groups.length > PENDING_NAMED ? `, and ${groups.length - PENDING_NAMED} more` : '';
  return `timers pending: ${named.join(', ')}${more}`;
}

/** Actors of live nodes with messages still waiting in their mailboxes. */
function busyActors(world: SimWorld): string {
  const busy: string[] = [];
  for (const node of world.nodes.values()) {
    if (!node.alive) continue;
    const visit = (status: ChildStatus): void => {
      if ((status.mailboxDepth ?? 0) > 0) busy.push(`${node.key} ${status.address} (${status.mailboxDepth} waiting)`);
      status.children?.forEach(visit);
    };
    node.system.status().forEach(visit);
  }
  if (busy.length === 0) return 'no actor has messages waiting';
  return `actors with messages waiting: ${busy.slice(0, PENDING_NAMED).join(', ')}${busy.length > PENDING_NAMED ? `, and ${busy.length - PENDING_NAMED} more` : ''}`;
}

function settled(record: MessageRecord): boolean {
  return record.handlings.length > 0 || record.deadLettered || record.exempt !== undefined;
}

export function confirmedNotLost(world: SimWorld): Violation[] {
  const lost: Violation[] = [];
  for (const record of world.ledger.messages.values()) {
    if (record.confirmed && !settled(record)) {
      lost.push({ invariant: 'confirmed-not-lost', detail: `${record.id} (${record.link}) was confirmed but never handled`, subjects: [record.id] });
    }
  }
  return limited(lost);
}

export function handledOnce(world: SimWorld): Violation[] {
  const twice: Violation[] = [];
  for (const record of world.ledger.messages.values()) {
    // The dedupe window lives in the consuming process: a crash forgets it, so a copy (a
    // redelivery, a publisher's retry) handled by the next incarnation is at-least-once, not a bug.
    const excused = record.handlings.every((handling, i) => {
      const later = record.handlings[i + 1];
      return later === undefined || (later.incarnation !== handling.incarnation && world.crashed.has(`${handling.node}#${handling.incarnation}`));
    });
    if (!excused) {
      twice.push({
        invariant: 'handled-once',
        detail: `${record.id} (${record.link}) handled ${record.handlings.length} times, at ${record.handlings.map((h) => h.at).join(', ')} ms`,
        subjects: [record.id],
      });
    }
  }
  return limited(twice);
}

export function orderPerLink(world: SimWorld): Violation[] {
  const lastOrder = new Map<string, { seq: number; order: number }>();
  const out: Violation[] = [];
  const records = [...world.ledger.messages.values()].filter((record) => record.handlings.length > 0);
  records.sort((a, b) => a.seq - b.seq);
  for (const record of records) {
    const previous = lastOrder.get(record.link);
    const order = record.handlings[0].order;
    if (previous && order < previous.order) {
      out.push({ invariant: 'order-per-link', detail: `on ${record.link}, #${record.seq} was handled before #${previous.seq}`, subjects: [record.id] });
    }
    lastOrder.set(record.link, { seq: record.seq, order });
  }
  return limited(out);
}

/** Replays each watched supervisor's child failures through OTP's sliding window. */
export function supervisionWithinIntensity(world: SimWorld): Violation[] {
  const out: Violation[] = [];
  for (const [address, tree] of world.watched) out.push(...checkSupervisor(world, address, tree));
  return limited(out);
}

function checkSupervisor(world: SimWorld, supervisor: string, tree: WatchedTree): Violation[] {
  const { maxRestarts, withinMs } = tree.intensity;
  const out: Violation[] = [];
  let window: number[] = [];
  let mustEscalate: number | undefined;
  let node: string | undefined;
  for (const event of world.lifecycle) {
    if (event.node !== node) {
      // A node restart builds a fresh supervisor: its own intensity window.
      if (event.address === supervisor && event.kind === 'started') ({ node } = event), (window = []), (mustEscalate = undefined);
      continue;
    }
    if (event.address === supervisor) {
      if (event.kind === 'started') (window = []), (mustEscalate = undefined);
      if (event.kind === 'failed' && event.code === 'INTENSITY_EXCEEDED') {
        if (mustEscalate === undefined) out.push({ invariant: 'supervision-intensity', detail: `${supervisor} gave up within its intensity (${window.length} ≤ ${maxRestarts} in ${withinMs} ms)`, subjects: [supervisor] });
        mustEscalate = undefined;
        node = undefined;
      }
      continue;
    }
    const isChild = event.address.startsWith(supervisor + '/') && !event.address.slice(supervisor.length + 1).includes('/');
    if (!isChild) continue;
    if (event.kind === 'failed') {
      window = window.filter((at) => event.at - at < withinMs);
      window.push(event.at);
      if (window.length > maxRestarts && mustEscalate === undefined) mustEscalate = event.at;
    }
    if (event.kind === 'restarted' && mustEscalate !== undefined) {
      out.push({ invariant: 'supervision-intensity', detail: `${event.address} restarted after ${supervisor} exceeded ${maxRestarts} restarts in ${withinMs} ms`, subjects: [event.address] });
    }
  }
  if (mustEscalate !== undefined && node !== undefined && !world.crashed.has(node)) {
    out.push({ invariant: 'supervision-intensity', detail: `${supervisor} exceeded its intensity at ${mustEscalate} ms but never escalated`, subjects: [supervisor] });
  }
  return out;
}
