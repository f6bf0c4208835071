import assert from 'node:assert/strict';
import { BucketFingerprintError, ConnectionLinkError } from '../../../actors/rendezvous/errors.ts';
import { checkBucketId } from '../../../actors/rendezvous/client/bucket-check.ts';
import { PLAINTEXT_BYTES, SEALED_LINK_BYTES } from '../../../actors/rendezvous/limits.ts';
import {
  bucketHash,
  decodeBucketId,
  decodeConnectionLink,
  encodeBucketId,
  encodeConnectionLink,
  hashFromHex,
  INSECURE_TEST_STRENGTH,
  openAny,
  openLink,
  sealedLinkProblem,
  sealLink,
} from '../../../actors/rendezvous/wire/index.ts';

const weak = INSECURE_TEST_STRENGTH;
const link = { host: 'chat.example.org', port: 5223, linkId: 'q7Xk_2-abc' };

describe('rendezvous wire: bucket ids, connection links, sealing', () => {
  it('a bucket id is 6 bytes (seconds u32, sequence u16, big-endian) and its hash BLAKE2b-256 of the context and the id', () => {
    const id = { seconds: 1_764_000_000, sequence: 3 };
    assert.equal(encodeBucketId(id).toString('hex'), '692481000003');
    assert.deepEqual(decodeBucketId(encodeBucketId(id)), id);
    assert.equal(decodeBucketId(Buffer.alloc(5)), undefined);
    assert.equal(bucketHash(id).length, 32);
    assert.notDeepEqual(bucketHash(id), bucketHash({ ...id, sequence: 4 }));
    assert.deepEqual(hashFromHex(bucketHash(id).toString('hex')), bucketHash(id));
    assert.equal(hashFromHex('zz'.repeat(32)), undefined);
  });

  it('a connection link pads to one plaintext size, and decodes back; anything else is not a link', () => {
    const plain = encodeConnectionLink(link);
    assert.equal(plain.length, PLAINTEXT_BYTES);
    assert.deepEqual(decodeConnectionLink(plain), link);
    const dirtyPadding = Buffer.from(plain);
    dirtyPadding[PLAINTEXT_BYTES - 1] = 1;
    assert.equal(decodeConnectionLink(dirtyPadding), undefined);
    const longHost = Buffer.from(plain);
    longHost[0] = 250;
    assert.equal(decodeConnectionLink(longHost), undefined);
    assert.equal(decodeConnectionLink(plain.subarray(1)), undefined);
  });

  // [what, link, passphrase]: each refused with ConnectionLinkError before anything is derived
  const refused: [string, { host: string; port: number; linkId: string }, string][] = [
    ['an empty host', { ...link, host: '' }, 'p'],
    ['a host with a space', { ...link, host: 'a b' }, 'p'],
    ['a port of 0', { ...link, port: 0 }, 'p'],
    ['a link id with a slash', { ...link, linkId: 'a/b' }, 'p'],
    ['a host and link id over the plaintext', { ...link, host: 'h'.repeat(128), linkId: 'i'.repeat(60) }, 'p'],
    ['an empty passphrase', link, ''],
    ['a passphrase over 1024 bytes', link, 'é'.repeat(513)],
  ];
  for (const [what, bad, passphrase] of refused) {
    it(`refuses to seal ${what}`, async () => {
      await assert.rejects(sealLink(bad, passphrase, weak), ConnectionLinkError);
    });
  }

  it('seals every link to 240 bytes (version 1, then random salt and nonce), opens it with the passphrase only', async () => {
    const short = await sealLink({ host: 'a', port: 1, linkId: 'b' }, 'correct horse', weak);
    const long = await sealLink({ host: 'h'.repeat(100), port: 65_535, linkId: 'i'.repeat(79) }, 'correct horse', weak);
    assert.deepEqual([short.length, long.length, short[0], long[0]], [SEALED_LINK_BYTES, SEALED_LINK_BYTES, 1, 1]);
    const again = await sealLink({ host: 'a', port: 1, linkId: 'b' }, 'correct horse', weak);
    assert.notDeepEqual(again.subarray(1, 41), short.subarray(1, 41), 'salt and nonce are fresh for each link');
    assert.deepEqual(await openLink(short, 'correct horse', weak), { host: 'a', port: 1, linkId: 'b' });
    assert.equal(await openLink(short, 'correct horse!', weak), undefined);
    // The passphrase is taken in its NFC form: é typed as one code point or as e + combining accent.
    const accented = await sealLink(link, 'caf\u00e9', weak);
    assert.deepEqual(await openLink(accented, 'cafe\u0301', weak), link);
  });

  it('a sealed link altered in any byte opens to nothing', async () => {
    const sealed = await sealLink(link, 'pass', weak);
    for (const at of [0, 1, 17, 41, 100, 239]) {
      const altered = Buffer.from(sealed);
      altered[at]! ^= 1;
      assert.equal(await openLink(altered, 'pass', weak), undefined, `byte ${at}`);
    }
  });

  it('the server checks only length and version', () => {
    assert.equal(sealedLinkProblem(Buffer.alloc(239, 1)), 'LINK_SIZE');
    assert.equal(sealedLinkProblem(Buffer.alloc(241, 1)), 'LINK_SIZE');
    assert.equal(sealedLinkProblem(Buffer.alloc(240, 2)), 'LINK_FORMAT');
    assert.equal(sealedLinkProblem(Buffer.alloc(240, 1)), undefined);
  });

  it("the accepter finds its link among a bucket's and counts the derivations; a wrong passphrase finds nothing", async () => {
    const others = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => sealLink({ ...link, linkId: `other-${n}` }, `other ${n}`, weak)));
    const mine = await sealLink(link, 'mine', weak);
    const bucket = [...others.slice(0, 5), mine, others[5]!];
    // Four at a time: the first batch (0–3) finds nothing, the second (4–6) holds it.
    assert.deepEqual(await openAny(bucket, 'mine', weak), { link, tried: 7 });
    assert.deepEqual(await openAny(bucket, 'not mine', weak), { link: undefined, tried: bucket.length });
    assert.equal((await openAny([Buffer.alloc(3), mine], 'mine', weak)).link?.linkId, link.linkId, 'a malformed entry is skipped');
  });

  // [what, the id, the client's clock, tolerance, expected]
  const NOW = 1_764_000_000_500;
  const checks: [string, { seconds: number; sequence: number }, object, string][] = [
    ['an id of this second', { seconds: 1_764_000_000, sequence: 0 }, {}, 'ok'],
    ['an id 4 min old (default tolerance 5 min)', { seconds: 1_764_000_000 - 240, sequence: 0 }, {}, 'ok'],
    ['an id 6 min old', { seconds: 1_764_000_000 - 360, sequence: 0 }, {}, 'skew'],
    ['an id 6 min ahead', { seconds: 1_764_000_000 + 360, sequence: 0 }, {}, 'skew'],
    ['an id 20 s old with a 10 s tolerance', { seconds: 1_764_000_000 - 20, sequence: 0 }, { maxSkewMs: 10_000 }, 'skew'],
    ['sequence 15 (the default bound)', { seconds: 1_764_000_000, sequence: 15 }, {}, 'ok'],
    ['sequence 16', { seconds: 1_764_000_000, sequence: 16 }, {}, 'sequence'],
    ['sequence 3 with maxSequence 2', { seconds: 1_764_000_000, sequence: 3 }, { maxSequence: 2 }, 'sequence'],
  ];
  for (const [what, id, tolerance, expected] of checks) {
    it(`the client's fingerprinting check: ${what}: ${expected}`, () => {
      try {
        checkBucketId(id, NOW, tolerance);
        assert.equal('ok', expected);
      } catch (error) {
        assert.ok(error instanceof BucketFingerprintError);
        assert.equal(error.reason, expected);
        assert.equal(error.code, 'BUCKET_FINGERPRINT');
      }
    });
  }
});
