/** The rendezvous wire: bucket ids and their hashes, connection links, sealing and opening them. */
export { bucketHash, decodeBucketId, encodeBucketId, hashFromHex, hashToHex, isBucketHash, type BucketId } from './bucket-id.ts';
export { decodeConnectionLink, encodeConnectionLink, type ConnectionLink } from './connection-link.ts';
export { checkStrength, DEFAULT_STRENGTH, INSECURE_TEST_STRENGTH, type KdfStrength } from './passphrase-key.ts';
export { openAny, openLink, sealedLinkProblem, sealLink } from './sealed-link.ts';
