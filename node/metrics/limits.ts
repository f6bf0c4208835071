/**
 * Distinct `actor` label values one node exports, by default. Each label carries about 25
 * series (9 counters and gauges, an ask latency histogram of 14 buckets plus its sum and
 * count), so 100 labels are at most ~2,500 series per node: well within what one Prometheus
 * scrape of many nodes takes, and far more than a node's static actors usually number. Every
 * actor beyond it is counted under `OTHER_ACTORS`; raise it with `run(…, { metrics: { maxActorLabels } })`.
 */
export const DEFAULT_MAX_ACTOR_LABELS = 100;

/** The `actor` label of every actor past the cap. */
export const OTHER_ACTORS = 'other';

/**
 * The label of all the children of a dynamic supervisor (and what they spawn): its address and
 * this suffix, one series set whatever the number of children (one per peer, circuit or connection).
 */
export const DYNAMIC_CHILDREN_SUFFIX = '/*';
