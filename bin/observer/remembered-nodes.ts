import { NODE_MEMORY_MS, ROLL_CALL_INTERVAL_MS } from './observer-limits.ts';

/**
 * The nodes found by roll calls: one every `ROLL_CALL_INTERVAL_MS`, in the background once some
 * node is known (the polls go on meanwhile); a node is kept for `NODE_MEMORY_MS` after its last
 * answer, so one late answer does not drop it for a round, and one that is down is still polled
 * (and shown down) for a while.
 */
export function rememberedNodes(rollCall: () => Promise<string[]>, now: () => number = Date.now): () => Promise<string[]> {
  const lastSeen = new Map<string, number>();
  let calledAt = -Infinity;
  let calling: Promise<void> | undefined;
  const call = () =>
    (calling ??= rollCall()
      .then((nodes) => {
        for (const node of nodes) lastSeen.set(node, now());
      })
      .catch(() => {}) // the broker is away: the nodes' own polls show it
      .finally(() => (calling = undefined)));
  return async () => {
    if (now() - calledAt >= ROLL_CALL_INTERVAL_MS) {
      calledAt = now();
      const called = call();
      if (lastSeen.size === 0) await called;
    }
    for (const [node, seen] of lastSeen) if (now() - seen > NODE_MEMORY_MS) lastSeen.delete(node);
    return [...lastSeen.keys()].sort();
  };
}
