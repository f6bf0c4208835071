/**
 * Every size, bound, timeout and protocol constant of the private rendezvous buckets (after
 * SimpleX's private rendezvous proposal), each with the reason for its value.
 */

/** The sealed link's first byte; a server refuses any other (LINK_FORMAT), a client opens no other. */
export const SEALED_LINK_VERSION = 1;

/** Bytes of an Argon2id salt (libsodium's crypto_pwhash_SALTBYTES): random per link, stored in the clear with it. */
export const SALT_BYTES = 16;

/** Bytes of a crypto_secretbox nonce (XSalsa20): random per link, so a 192-bit nonce never repeats by chance. */
export const NONCE_BYTES = 24;

/** Bytes of crypto_secretbox's Poly1305 tag. */
export const MAC_BYTES = 16;

/**
 * Every sealed link is exactly this long (the issue asks for a fixed size in 224–256), whatever
 * host and link id it carries, so the server and an observer cannot tell links apart by length.
 */
export const SEALED_LINK_BYTES = 240;

/** The padded plaintext inside: what is left of 240 after version, salt, nonce and tag. */
export const PLAINTEXT_BYTES = SEALED_LINK_BYTES - 1 - SALT_BYTES - NONCE_BYTES - MAC_BYTES;

/** Longest host name (DNS allows 253; the plaintext has room for a host and a link id of 179 bytes together, so 128 leaves a link id at least 51). */
export const MAX_HOST_BYTES = 128;

/** Longest link id at the messaging server (opaque to the rendezvous, printable): 128 leaves room for a short host. */
export const MAX_LINK_ID_BYTES = 128;

/** Longest passphrase in UTF-8 bytes: far above any typed one, and a bound on the hashing input. */
export const MAX_PASSPHRASE_BYTES = 1_024;

/** Bytes of a bucket id: creation time in seconds, u32 (until 2106), then the sequence number in that second, u16. */
export const BUCKET_ID_BYTES = 6;

/** Bytes of a bucket hash: BLAKE2b-256 (crypto_generichash) of a context string and the id. */
export const BUCKET_HASH_BYTES = 32;

/** What the hash is of, besides the id: domain separation, so the hash means a rendezvous bucket and nothing else. */
export const BUCKET_HASH_CONTEXT = 'airlock rendezvous bucket v1';

/** Links one bucket holds at most (the 64): the anonymity set of one introduction, and what an accepter fetches and tries at most. */
export const MAX_LINKS_PER_BUCKET = 64;

/**
 * A bucket takes links for this long after its creation, then a new one opens even if it is not
 * full: a quiet server must not hand out a bucket id older than the clients' skew tolerance.
 */
export const BUCKET_OPEN_MS = 60_000;

/** Buckets the server opens per second at most: sequence numbers 0..15. More would be a bucket per client on a busy second. */
export const MAX_BUCKETS_PER_SECOND = 16;

/** How long a bucket (and every link in it) lives: a day for the accepter to come by, then it is gone. */
export const BUCKET_TTL_MS = 24 * 60 * 60_000;

/** How often the server deletes expired buckets from its store (reads skip them anyway). */
export const SWEEP_INTERVAL_MS = 60_000;

/**
 * A client refuses a bucket id whose time is further than this from its own clock: the bucket
 * may be up to BUCKET_OPEN_MS old when it takes the link, plus clock skew between the two. A
 * server that made each client its own bucket could spread them over this window only.
 */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/** A client refuses a bucket id with a larger sequence number (the server's own bound is 15). */
export const DEFAULT_MAX_SEQUENCE = MAX_BUCKETS_PER_SECOND - 1;

/** Links one source (an IPv4 address, an IPv6 /64, or an actor's address) may store at once, and per second after: a person introduces a handful of contacts, not thousands. */
export const STORE_BURST = 16;
export const STORES_PER_SECOND = 1;

/** Bucket fetches per source at once and per second: an accepter fetches once per introduction; a scraper is slowed. */
export const FETCH_BURST = 32;
export const FETCHES_PER_SECOND = 2;

/** Sources the server remembers rates for; the longest idle is forgotten first (its bucket would be full again). */
export const MAX_SOURCES = 10_000;

/** Links the in-memory store holds at most (240 bytes each, about 450 with the bookkeeping: some 45 MB of RSS, measured): past it, STORE_FULL. */
export const MEMORY_STORE_CAPACITY = 100_000;

/** A store call answers within this or the request is refused STORE_UNAVAILABLE (a database behind a dead connection must not hold requests for minutes). */
export const STORE_TIMEOUT_MS = 5_000;

/** The longest HTTP request body the endpoint reads: one sealed link. Longer is LINK_SIZE, unread. */
export const MAX_REQUEST_BYTES = SEALED_LINK_BYTES;

/** The longest HTTP response a client reads: a full bucket. */
export const MAX_RESPONSE_BYTES = MAX_LINKS_PER_BUCKET * SEALED_LINK_BYTES;

/** How long a client waits for the server's answer. */
export const CLIENT_TIMEOUT_MS = 10_000;

/** The HTTP endpoint's wait for the server actor: shorter than the client's, longer than the store's. */
export const ENDPOINT_ASK_TIMEOUT_MS = 8_000;

/**
 * Argon2id's default strength: libsodium's INTERACTIVE (2 passes over 64 MiB), about 50–100 ms
 * a derivation on a 2020s core. An accepter derives once per link in the bucket (each has its own
 * salt), up to 64 times, four at once on libuv's threads.
 */
export const DEFAULT_OPS_LIMIT = 2;
export const DEFAULT_MEM_LIMIT = 64 * 1024 * 1024;
