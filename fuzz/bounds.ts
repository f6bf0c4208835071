/**
 * The bounds every fuzz row is held to, beyond "nothing crashed, every refusal typed". A row past
 * one fails the run like a crash does.
 */

/**
 * Resident memory a row may add, after a full GC at both ends: 64 MB. A bounded target keeps
 * what it holds per connection and per session under its limits whatever the count of frames, so
 * its RSS levels off after warm-up (code, JIT, allocator arenas: a few MB to a few tens); growth
 * past this over 100,000 frames is state that piles up per frame.
 */
export const MAX_RSS_GROWTH_MB = 64;

/**
 * What the attacker may have written past the target's limit before the answer or the cut reached
 * it: one write chunk (fuzz/buffer-meter.ts writes at most 16 KiB at a time) plus a TLS record's
 * framing. The target reads as the bytes come (same process, loopback), so more than this past
 * the limit is bytes the target chose to hold.
 */
export const IN_FLIGHT_SLACK_BYTES = 16 * 1024 + 1_024;

/**
 * The longest a network target may take to answer one unit: 1 s. A loopback answer takes a
 * millisecond or two, a few hundred on a busy 2-core machine; past a second the target's event
 * loop was blocked by the unit itself (e.g. a loop over a range the peer chose), and every other
 * peer of the process waited with it.
 */
export const MAX_ANSWER_MS = 1_000;
