/**
 * The AMQP 1.0 transport's bounds, each once with the reason for its value. Every one is an
 * option of `LinkListenOptions` / `LinkConnectOptions`; these are what applies when none is given.
 */

/** The largest frame accepted or offered: 256 KiB, so a 64 KiB message crosses in one transfer; more is buffered per frame only up to this. */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024;
/** AMQP 1.0 §2.7.1: no frame may be smaller than its 8-byte header. */
export const MIN_FRAME_BYTES = 8;
/** A TLS connection that has not sent its AMQP open by then is closed: a handshake and an open take milliseconds, an idle socket in the DMZ costs a slot. */
export const DEFAULT_OPEN_DEADLINE_MS = 10_000;
/** `connect` gives up after this, TCP, TLS and the AMQP open together: a hung Float must not hold a failover or a redial for ever. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Connections open at once from one source address: a peer organisation needs a few, behind a NAT a few dozen; a flood from one address stops here. */
export const DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 32;
/** Connections open at once for one verified certificate: a peer reconnecting overlaps its old connection briefly; more is one identity hoarding slots. */
export const DEFAULT_MAX_CONNECTIONS_PER_PEER = 8;
/** Links a peer may have attached on one session: an inbox per link is a handful; each link may hold one partial delivery, so this bounds those too. */
export const DEFAULT_MAX_LINKS_PER_SESSION = 16;
/**
 * What a receiver advertises as max-message-size beyond its `maxMessageBytes` (a limit on the body):
 * AMQP 1.0 counts max-message-size over the whole encoded message, so this is room for the
 * sections around the body (header, message id, properties; a few hundred bytes in airlock's own
 * messages). A delivery is cut as soon as its transfers pass the advertised size.
 */
export const MESSAGE_SECTIONS_ALLOWANCE_BYTES = 4 * 1024;
/**
 * The shortest idle-time-out a peer may ask this side to keep up (rhea sends an empty frame every
 * half of it): peers ask for tens of seconds; one asking for a millisecond would have a frame
 * written a millisecond for as long as it stays.
 */
export const MIN_PEER_IDLE_TIME_OUT_MS = 1_000;
/** How much of a rhea error a log line carries: a reason, never a dump of a peer's bytes. */
export const MAX_LOGGED_CHARS = 200;
