/** The observer's timings and bounds, each with the reason for its value. */

/**
 * How often the observer asks each node for its status: one request a second per node, however
 * many browsers watch (they share the answers), so watching costs a node a fixed, modest load.
 */
export const POLL_INTERVAL_MS = 1_000;

/** How often the dead-letter queue is read: listing takes every letter out and puts it back, heavier than a status. */
export const DEAD_LETTER_POLL_MS = 2_000;

/** At most this many dead letters are shown: the page lists them, it is no archive (`airlock dead-letters list` shows all). */
export const MAX_LISTED_DEAD_LETTERS = 200;

/** Pushes to browsers are batched and leave at most this often (4 a second): faster is noise to a human and cost to the page. */
export const PUSH_INTERVAL_MS = 250;

/** Events the observer remembers for a browser that connects: the recent past, bounded. */
export const MAX_KEPT_EVENTS = 1_000;

/** Each status request waits at most this long: a stuck node shows as unreachable before the next poll is due twice over. */
export const STATUS_TIMEOUT_MS = 2_500;

/** An action waits for the node's answer as long as `airlock restart` does over the broker. */
export const ACTION_TIMEOUT_MS = 30_000;

/** An action request's body: an action, a node, an address (255 characters at most) fit well within it. */
export const MAX_ACTION_BODY_BYTES = 4_096;

/** Browsers watching at once: each holds an open stream; past this a new one is refused (503) rather than starving the others. */
export const MAX_STREAMS = 64;

/** How often an idle event stream gets a comment line, so proxies and the browser keep it open. */
export const STREAM_KEEPALIVE_MS = 15_000;

/**
 * Over the broker, how often the observer calls the roll of the namespace's nodes (each call costs
 * every process of the namespace one small answer): a node started shows within this and a poll.
 */
export const ROLL_CALL_INTERVAL_MS = 3_000;

/** A node that answered a roll call is polled for this long after, so one late answer does not drop it for a round. */
export const NODE_MEMORY_MS = 10_000;
