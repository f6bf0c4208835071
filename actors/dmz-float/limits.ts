/**
 * The DMZ float design's numbers and protocol strings, each once, each with the reason for its
 * value. The Float sits in the DMZ and reads bytes from strangers, so every input it takes has a
 * bound here; the BridgeManager and the QueueConsumers take theirs from the same place, so the two
 * sides of the tunnel cannot drift apart. The tunnel's own strings (link addresses, forwarded
 * property names, conditions) are the tunnel contract: `tunnel/`.
 */

// ---- message and field sizes -------------------------------------------------------------------

/** Corda's default largest message (the network parameters' `maxMessageSize`): 10 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** The largest `maxMessageBytes` an activation may ask for: 1 GiB, far above any Corda network's, so a typo cannot disable the bound. */
export const MAX_MESSAGE_BYTES_CEILING = 1024 * 1024 * 1024;
/**
 * The smallest frame limit a BridgeManager may be told its inboxes' transport has: below 64 KiB,
 * the `PeerMessage` envelope (about 4 KiB at its worst) leaves too little for a body to be worth a
 * Float. The transports' own default is lib's `DEFAULT_MAX_FRAME_BYTES` (1 MiB).
 */
export const MIN_INBOX_FRAME_BYTES = 64 * 1024;
/** A PEM key, certificate or root in an activation: 64 KiB holds an RSA-8192 chain many times over; more is not TLS material. */
export const MAX_PEM_CHARS = 64 * 1024;
/** A host name: DNS allows 253 characters (255 octets on the wire); one bound for every host field. */
export const MAX_HOST_CHARS = 255;
/** An actor address or an AMQP target the control protocol and the inboxes carry (the RabbitMQ queue name limit is 255 bytes). */
export const MAX_ADDRESS_CHARS = 255;
/** A message id, reused as the correlation id of what answers it: a UUID or a peer's own id fits many times over. */
export const MAX_MESSAGE_ID_CHARS = 128;
/** A certificate fingerprint as `AA:BB:…`: SHA-256 is 95 characters; room for a longer hash, not for a payload. */
export const MAX_FINGERPRINT_CHARS = 128;
/** A remote organisation's name: one segment of the outbound queue's address (`<bridge manager>/out/<name>`). */
export const MAX_PEER_NAME_CHARS = 64;
/** The inbox name a peer may target after the prefix: one address segment, as long as a hex SHA-512. */
export const MAX_INBOX_NAME_CHARS = 128;
/** The inbox namespace an activation names (e.g. `internal.peers.`): an address prefix, well under an address. */
export const MAX_INBOX_PREFIX_CHARS = 200;
/** Inboxes or outbound queues one `QueueSnapshot` may list: a node with more is split into nodes, and a snapshot stays one message. */
export const MAX_SNAPSHOT_ENTRIES = 10_000;
/** How much of a refused target an error quotes: enough to recognise it, never a peer's payload echoed whole. */
export const MAX_QUOTED_CHARS = 120;
/** How much of an error an AMQP rejection carries back to the Float (and the peer): a reason, not a stack. */
export const MAX_REJECTION_CHARS = 200;
/** A load balancer's probe sends at most this much before its line ends; more is not a probe. */
export const MAX_HEALTH_LINE_BYTES = 256;
/** The health-check phrase: one short line, well inside `MAX_HEALTH_LINE_BYTES`. */
export const MAX_HEALTH_PHRASE_CHARS = 128;

// ---- credit and unsettled deliveries -----------------------------------------------------------

/** Unsettled deliveries one peer may have at once, over all its links: a peer cannot fill the tunnel for the others. */
export const DEFAULT_CREDIT_PER_PEER = 16;
/** Messages the Float may forward at once over the tunnel, awaiting their broker confirms: four peers' worth of credit. */
export const DEFAULT_INBOUND_CREDIT = 64;
/** The most credit any link is configured with: beyond it, memory for unsettled copies grows faster than throughput. */
export const MAX_CREDIT = 10_000;
/** Credit on the tunnel's control link: one activation at a time, the next only after the first was settled. */
export const ACTIVATION_CREDIT = 1;
/** Floats in one hot-warm pool: one is active, the rest wait; more than a rack's worth is a configuration error. */
export const MAX_FLOAT_POOL = 16;
/** Query ids a snapshot may answer: any of the latest this many (each snapshot is the whole state, so an older answer is as good). */
export const RECENT_QUERIES = 64;
/** Latency samples kept per peer connection: the audit line's figures cover the latest this many (a window, not a log). */
export const LATENCY_SAMPLES = 4_096;
/** Health-check connections held at once: a load balancer needs a few; one beyond closes the oldest idle one (the listener is in the DMZ). */
export const DEFAULT_HEALTH_CHECK_CONNECTIONS = 64;
/** The most probes a configuration may allow open at once. */
export const MAX_HEALTH_CHECK_CONNECTIONS = 10_000;
/**
 * Health-check connections one source (an IPv4 address, an IPv6 /64) may hold at once: a load
 * balancer's prober has one or two probes in flight, so 8 is room to spare, and one stranger holds
 * an eighth of the default 64 at most; its next connection closes its own oldest, not a probe.
 */
export const DEFAULT_HEALTH_CHECK_PER_SOURCE = 8;

// ---- time --------------------------------------------------------------------------------------

/** How often an unanswered `QueueQuery` goes out again: a restarted node answers within a second of coming up. */
export const DEFAULT_QUERY_INTERVAL_MS = 1_000;
/** A probe that has not sent its line by then is closed: an idle connection must not hold a DMZ socket. */
export const DEFAULT_HEALTH_CHECK_DEADLINE_MS = 5_000;
/**
 * A probe connection that has sent no byte by then is closed: a load balancer writes its line as
 * soon as it is connected, so a second is generous even on a congested LAN, while an idle flood
 * holds each socket for a second at most instead of the whole line deadline.
 */
export const DEFAULT_HEALTH_CHECK_FIRST_BYTE_MS = 1_000;
/** The longest deadline a configuration may give a probe: a minute is already longer than any load balancer waits. */
export const MAX_HEALTH_CHECK_DEADLINE_MS = 60_000;
/**
 * Reconnect backoff of the tunnel and the outbound links (`backoffDelay`'s options): the first retry
 * after 200 ms, so a failover or a cut tunnel heals in well under a second; doubling to at most 10 s,
 * so a Float that is down for long is still tried every 10 s; 20 % jitter, so the BridgeManagers of
 * a pool and an organisation's QueueConsumers do not redial in step.
 */
export const DEFAULT_RECONNECT = { minMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 } as const;
/** The longest reconnect delay a configuration may ask for: an hour; longer is a link given up, which is not a setting. */
export const MAX_RECONNECT_DELAY_MS = 3_600_000;
/** The steepest backoff growth a configuration may ask for. */
export const MAX_RECONNECT_FACTOR = 10;

// ---- protocol strings --------------------------------------------------------------------------

/**
 * The health-check phrase when none is configured (Corda's `healthCheckPhrase`, which Corda leaves
 * to configuration): the line a load balancer's TCP probe sends and gets back.
 */
export const HEALTH_CHECK_PHRASE = 'ISALIVE';
/** The address segment under a BridgeManager where its outbound queues live: `<bridge manager>/out/<peer>`. */
export const OUTBOUND_SEGMENT = 'out';
