/**
 * Every timeout, byte limit, bound and protocol constant of the ciphertext relay, each with the
 * reason for its value. Reservation and limit semantics follow libp2p's circuit relay v2.
 */

/** The handshake's version byte; a relay refuses any other with MALFORMED_MESSAGE. */
export const WIRE_VERSION = 1;

/** Largest payload of one handshake frame. The largest legitimate one is 32 bytes (an identity); 256 leaves room for later fields without letting a peer make the relay buffer more. */
export const MAX_FRAME_PAYLOAD = 256;

/** Bytes of an identity: SHA-256 of the party's SubjectPublicKeyInfo (DER). */
export const IDENTITY_BYTES = 32;

/** Bytes of a circuit token: 128 random bits, unguessable, so only the party told of it (C, over its authenticated registration link) can accept the circuit. */
export const TOKEN_BYTES = 16;

/** How long a reservation lasts unless renewed. libp2p's default is an hour; a NAT mapping rarely lasts that long idle, so clients renew at half of it over the link that keeps the mapping alive. */
export const RESERVATION_TTL_MS = 60 * 60_000;

/** Reservations one relay holds at most (libp2p: 128); each holds one TLS connection open. */
export const MAX_RESERVATIONS = 128;

/** Reservations one source address (an IPv4 address, an IPv6 /64) may hold (libp2p: 4 per IP): one host rarely runs more parties, and a flood from one source fills only its own share. */
export const MAX_RESERVATIONS_PER_SOURCE = 4;

/** Concurrent circuits per party: towards one reserved identity, and from one source (libp2p: 16 per peer). */
export const MAX_CIRCUITS_PER_PARTY = 16;

/** Circuits one relay carries at once. */
export const MAX_CIRCUITS = 1_024;

/** A circuit's longest life (libp2p's default is 2 minutes, for hole punching; this relay carries whole sessions, so a day). */
export const MAX_CIRCUIT_DURATION_MS = 24 * 60 * 60_000;

/** Bytes a circuit carries per direction at most (libp2p: 128 KiB, for hole punching; a session here, so 4 GiB). */
export const MAX_CIRCUIT_BYTES = 4 * 1024 ** 3;

/** Open connections from one source at once, handshaking or carrying circuits: 2 × circuits per party plus a registration, rounded up. */
export const MAX_CONNECTIONS_PER_SOURCE = 40;

/** Connections still in their handshake, all sources: what a flood of half handshakes can hold, each at most a frame. */
export const MAX_PENDING_HANDSHAKES = 256;

/** A connection sends its whole request frame (and TLS to the relay, if used) within this, or is closed: long enough for a handshake across the planet, short enough that a half handshake holds its slot briefly. */
export const HANDSHAKE_DEADLINE_MS = 10_000;

/** B waits this long for C to dial back and accept; then B is told CONNECTION_FAILED. */
export const ACCEPT_DEADLINE_MS = 10_000;

/** A client's first retry after its registration link fails, doubling up to the next figure (with jitter). */
export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 30_000;

/** A client renews its reservation at this fraction of the time it was granted for. */
export const RENEW_AT_FRACTION = 0.5;

/** How long a client waits for the relay's status reply before giving up on a request. */
export const CLIENT_REPLY_TIMEOUT_MS = 10_000;

/** How long the relay keeps a refused connection after its STATUS, for the party to read it and close; then it is destroyed. */
export const REFUSAL_LINGER_MS = 1_000;

/** How long an ended circuit (bytes, duration, a side's FIN) waits for both sides to close after its FINs before it destroys them. */
export const CIRCUIT_LINGER_MS = 5_000;

/** How long a circuit actor may take to stop (it only destroys two streams). */
export const CIRCUIT_SHUTDOWN_MS = 1_000;

/** Reconnect backoff growth and spread: doubling, ±20 %, so many parties of one relay do not come back at once. */
export const RECONNECT_FACTOR = 2;
export const RECONNECT_JITTER = 0.2;

/** B's wait for the relay to pair its circuit: longer than the relay's accept deadline, so B hears CONNECTION_FAILED rather than giving up first. */
export const CONNECT_TIMEOUT_MS = 30_000;
