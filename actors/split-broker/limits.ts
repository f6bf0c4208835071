/**
 * The split broker's numbers and strings, each once, each with the reason for its value: the
 * timeout chain of one rendezvous, the byte limits, the edge's and the Oracle's bounds, and the
 * strings a client reads. Where a value is Snowflake's, its Go name (in `broker/`, `common/`)
 * is given. Configs take these as defaults; a changed timeout must keep the chain's order.
 */

import type { Delivery } from '../../lib/envelope.ts';

// ── The timeout chain of one rendezvous ─────────────────────────────────────────────────────
// Each wait is longer than the one it wraps, so the innermost one ends first and its answer
// (Snowflake's "timed out" or "no match") travels out instead of an outer timeout:
//   Matcher 10 s  <  Oracle → Matcher 12 s  <  registrar → Oracle/Matcher 15 s  <  client 30 s

/** How long the Matcher holds a proxy's poll before "no match": Snowflake's `ProxyTimeout` (10 s). */
export const PROXY_TIMEOUT_MS = 10_000;
/** How long a matched client waits for its proxy's answer before "timed out": Snowflake's `ClientTimeout` (10 s). */
export const CLIENT_TIMEOUT_MS = 10_000;
/** The Oracle's wait for the Matcher: its client wait and 2 s for the hop, so the Matcher's "timed out" arrives first. */
export const ORACLE_ASK_TIMEOUT_MS = CLIENT_TIMEOUT_MS + 2_000;
/** A registrar's wait for the Oracle (and for the Matcher on proxy polls): the Oracle's and 3 s more for its hop. */
export const REGISTRAR_ASK_TIMEOUT_MS = ORACLE_ASK_TIMEOUT_MS + 3_000;
/** The client library's deadline for one request (one DNS registration): twice the registrar's, so a slow link still gets its answer. */
export const CLIENT_REQUEST_TIMEOUT_MS = 2 * REGISTRAR_ASK_TIMEOUT_MS;
/** The DNS client sends a query again after this long unanswered: a lost datagram costs a second, not the deadline. */
export const DNS_QUERY_RETRY_MS = 1_000;

/**
 * How the rendezvous' asks travel (registrar → Oracle, registrar → Matcher, Oracle → Matcher) when
 * the nodes run apart over a durable transport: transient (see `Delivery`). Every asker waits with
 * one of the timeouts above and its client (HTTP, AMP, DNS) asks again after a failure anyway, so
 * a persisted ask that outlived a broker restart would answer nobody; transient asks spare the
 * broker's disk and confirm work and are never handled twice. In one process it changes nothing.
 */
export const HOP_DELIVERY = 'transient' satisfies Delivery;

// ── Byte limits ─────────────────────────────────────────────────────────────────────────────

/**
 * The largest registration, as a request body, a sealed box or a reassembled DNS registration:
 * Snowflake's broker `readLimit` (100,000 bytes), which every Snowflake client body respects.
 */
export const MAX_REGISTRATION_BYTES = 100_000;
/** The client library reads at most this much of a response: a registration-sized body in AMP armor (base64 and markup). */
export const MAX_RESPONSE_BYTES = 2 * MAX_REGISTRATION_BYTES;
/** A DNS query is one UDP datagram; anything larger than an EDNS buffer (4,096 bytes) is not a query. */
export const MAX_DNS_QUERY_BYTES = 4_096;

// ── The edge's bounds (per registrar) ───────────────────────────────────────────────────────

/** Requests per source address: a burst of 20, then 10/s, above what one Tor client sends (one registration, a few retries). */
export const DEFAULT_RATE_LIMIT = Object.freeze({ burst: 20, perSecond: 10, maxSources: 10_000 });
/** Polls and registrations waiting for the broker at once: each holds a socket up to 15 s; beyond, 503 or REFUSED. */
export const DEFAULT_MAX_WAITING = 1_000;
/**
 * DNS registrations being put together: 64 chunks of 100 bytes cover a registration with room
 * to spare, 1,000 at once bounds the memory, and 30 s is twice a client's own retry budget.
 * A source (an IPv4 address, an IPv6 /64) holds at most 4 unfinished ones: a client has one in
 * flight, a resolver a few; a fifth evicts that source's oldest. A full table evicts its oldest
 * unfinished registration, so spoofed sources can only shorten how long one may take (1,000 new
 * ones per second still leave a second), never lock a client out.
 */
export const DEFAULT_REASSEMBLY_LIMITS = Object.freeze({ maxChunks: 64, maxSessions: 1_000, maxPerSource: 4, expiryMs: 30_000 });

// ── The DNS registrar's transport bounds ───────────────────────────────────────────────────

/** A reply to a query without EDNS fits in 512 bytes (RFC 1035 §4.2.1); larger ones are truncated, TC set. */
export const DNS_CLASSIC_UDP_BYTES = 512;
/**
 * The largest UDP reply whatever the EDNS buffer a query advertises, and the buffer the
 * registrar advertises: 1,232 bytes (DNS Flag Day 2020) is never fragmented on the internet's
 * 1,280-byte IPv6 minimum MTU, and bounds what a spoofed query can reflect at a victim.
 */
export const DNS_MAX_UDP_BYTES = 1_232;
/** DNS over TCP (RFC 7766): a message's 2-byte length prefix bounds it at 65,535 bytes. */
export const DNS_MAX_TCP_BYTES = 65_535;
/**
 * DNS over TCP on the registrar's port: 4 connections per source (a resolver pipelines its
 * queries over one), 256 in all, each closed 10 s after its last query or answer (RFC 7766
 * §6.2.3 asks for seconds) and when it stops reading 64 KiB of answers.
 */
export const DEFAULT_DNS_TCP_LIMITS = Object.freeze({ maxPerSource: 4, maxConnections: 256, idleMs: 10_000, maxUnreadBytes: 65_536 });

// ── The Oracle's bounds ─────────────────────────────────────────────────────────────────────

/** A registration's timestamp may differ from the Oracle's clock by 2 minutes either way: clients' clocks drift. */
export const DEFAULT_FRESHNESS_WINDOW_S = 120;
/**
 * Fresh registrations per second the Oracle's replay memory is sized for: above what one Oracle
 * can open at all (16,907/s in the README's benchmark, on 2 cores), so a flood of valid
 * registrations runs out of the Oracle's CPU before its memory can hurt anyone else.
 */
export const ORACLE_DESIGN_RATE = 20_000;
/**
 * Nonces per freshness window (one span of the replay memory) at which it keeps its bound: the
 * design rate for 120 s, 2,400,000. Past it nothing is refused outright; the false-refusal rate
 * rises smoothly (about 0.2% at twice as many, 6% at three times).
 */
export const DEFAULT_NONCE_CAPACITY = ORACLE_DESIGN_RATE * DEFAULT_FRESHNESS_WINDOW_S;
/**
 * The chance that a fresh registration is refused as replayed although it was not (a Bloom
 * filter's false positive), at or below the capacity: one in a million. Costs 31 bits a nonce,
 * 9.3 MB a span at the default capacity, 28 MB for the three live spans.
 */
export const NONCE_FALSE_REFUSAL_RATE = 1e-6;

// ── Protocol strings ────────────────────────────────────────────────────────────────────────
// What a client reads in `{"error": …}`; Snowflake's clients compare them verbatim.

/** No proxy waits for this client: Snowflake's `StrNoProxies` (`common/messages`). */
export const STR_NO_PROXIES = 'no snowflake proxies currently available';
/** The matched proxy did not answer in time: Snowflake's `StrTimedOut`. */
export const STR_TIMED_OUT = 'timed out waiting for answer!';
/** The client named a bridge this broker does not know: the text Snowflake's broker answers it with. */
export const STR_BRIDGE_NOT_FOUND = 'bridge not found';
/** A body whose version line is neither 1.0 nor 2.0: Snowflake's `ErrUnsupportedVersion`. */
export const STR_UNSUPPORTED_VERSION = 'unsupported message version';
/** An AMP path that does not decode: the text of Snowflake's `ampClientOffers`. */
export const STR_CANNOT_DECODE_PATH = 'cannot decode URL path';
/** airlock's own: the Matcher (or the Oracle) could not be reached, where Snowflake's broker answers 500. */
export const STR_BROKER_UNAVAILABLE = 'broker unavailable';

/** The relays Snowflake's broker hands out by default (its `-allowed-relay-pattern`); a proxy must accept at least these. */
export const DEFAULT_RELAY_PATTERN = 'snowflake.torproject.net$';
