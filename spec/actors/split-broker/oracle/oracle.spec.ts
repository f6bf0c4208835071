import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodium from 'sodium-native';
import { VirtualClock } from '../../../../lib/ports/virtual-clock.ts';
import { KeyFileError, KeysDisposedError, OracleKeys, RegistrationOpener, RegistrationRejectedError, signedResponse } from '../../../../actors/split-broker/oracle/index.ts';
import { decodeSealedBody, signedAnswerBytes } from '../../../../actors/split-broker/wire/index.ts';
import { sealRegistration } from '../../../../actors/split-broker/client/index.ts';

const NOW_MS = 1_700_000_000_000;
const request = { offer: 'v=0 sdp offer', nat: 'unrestricted' as const };

const rejected = (reason: string) => (error: unknown) =>
  error instanceof RegistrationRejectedError && error.code === 'REGISTRATION_REJECTED' && error.reason === reason;

/** Seals arbitrary plaintext for `keys`, as a hostile or broken client could. */
function sealRaw(keys: OracleKeys, plaintext: string): Uint8Array {
  const plain = Buffer.from(plaintext);
  const sealed = Buffer.alloc(plain.length + sodium.crypto_box_SEALBYTES);
  sodium.crypto_box_seal(sealed, plain, keys.publicKeys.box);
  return sealed;
}

describe('Oracle', () => {
  let keys: OracleKeys;
  let clock: VirtualClock;
  let opener: RegistrationOpener;
  beforeEach(() => {
    keys = OracleKeys.generate();
    clock = new VirtualClock({ start: NOW_MS });
    opener = new RegistrationOpener({ keys, clock, freshnessWindowS: 120 });
  });
  afterEach(() => keys.dispose());

  describe('opening sealed registrations', () => {
    it('opens a registration a client sealed for its key', () => {
      const { body, nonce } = sealRegistration(request, keys.publicKeys.box, NOW_MS);
      assert.deepEqual(opener.open(decodeSealedBody(body)), {
        offer: 'v=0 sdp offer', nat: 'unrestricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce, ts: NOW_MS / 1000,
      });
    });

    it('refuses a replayed registration, and still opens fresh ones', () => {
      const { sealed } = sealRegistration(request, keys.publicKeys.box, NOW_MS);
      opener.open(sealed);
      assert.throws(() => opener.open(sealed), rejected('replayed'));
      assert.doesNotThrow(() => opener.open(sealRegistration(request, keys.publicKeys.box, NOW_MS).sealed));
    });

    it('refuses a registration sealed for another key as forged', () => {
      const other = OracleKeys.generate();
      try {
        assert.throws(() => opener.open(sealRegistration(request, other.publicKeys.box, NOW_MS).sealed), rejected('forged'));
      } finally {
        other.dispose();
      }
    });

    it('refuses a registration with one flipped byte as forged', () => {
      const { sealed } = sealRegistration(request, keys.publicKeys.box, NOW_MS);
      sealed[sealed.length - 1]! ^= 0x01;
      assert.throws(() => opener.open(sealed), rejected('forged'));
    });

    it('refuses truncated registrations', () => {
      const { sealed } = sealRegistration(request, keys.publicKeys.box, NOW_MS);
      assert.throws(() => opener.open(sealed.subarray(0, 48)), rejected('truncated'));
      assert.throws(() => opener.open(new Uint8Array(0)), rejected('truncated'));
      assert.throws(() => opener.open(sealed.subarray(0, sealed.length - 1)), rejected('forged'));
    });

    it('refuses stale registrations, either side of the window', () => {
      assert.throws(() => opener.open(sealRegistration(request, keys.publicKeys.box, NOW_MS - 121_000).sealed), rejected('stale'));
      assert.throws(() => opener.open(sealRegistration(request, keys.publicKeys.box, NOW_MS + 121_000).sealed), rejected('stale'));
      assert.doesNotThrow(() => opener.open(sealRegistration(request, keys.publicKeys.box, NOW_MS - 120_000).sealed));
    });

    it('refuses plaintext that is not a registration', () => {
      const nonce = '0123456789abcdef0123456789abcdef';
      const bodies = [
        'not json',
        JSON.stringify({ offer: 'o', nat: 'unknown', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce: 'short', ts: NOW_MS / 1000 }),
        JSON.stringify({ offer: '', nat: 'unknown', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce, ts: NOW_MS / 1000 }),
        JSON.stringify({ offer: 'o', nat: 'open', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce, ts: NOW_MS / 1000 }),
        JSON.stringify({ offer: 'o', nat: 'unknown', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce, ts: NOW_MS / 1000, extra: 1 }),
      ];
      for (const body of bodies) assert.throws(() => opener.open(sealRaw(keys, body)), rejected('invalid'), body);
    });

    it('lets 5 clients in after an attacker sent the replay memory its whole capacity (600), and still refuses replays in the window', async () => {
      const oracle = new RegistrationOpener({ keys, clock, freshnessWindowS: 120, nonceCapacity: 600 });
      const outcome = (sealed: Uint8Array) => {
        try {
          oracle.open(sealed);
          return 'accepted';
        } catch (error) {
          return (error as RegistrationRejectedError).reason;
        }
      };
      const count = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((counts, o) => ({ ...counts, [o]: (counts[o] ?? 0) + 1 }), {});
      const flood = Array.from({ length: 600 }, () => sealRegistration(request, keys.publicKeys.box, NOW_MS).sealed);
      assert.deepEqual(count(flood.map(outcome)), { accepted: 600 });
      await clock.advance(1_000);
      const clients = Array.from({ length: 5 }, () => sealRegistration(request, keys.publicKeys.box, clock.now()).sealed);
      assert.deepEqual(count(clients.map(outcome)), { accepted: 5 });
      await clock.advance(119_000); // 120 s after the flood: its timestamps are at the edge of the window, not past it
      assert.deepEqual(count([flood[0]!, flood[599]!, clients[0]!, clients[4]!].map(outcome)), { replayed: 4 });
    });
  });

  describe('signing answers', () => {
    it('signs nonce, answer and error so that raw sodium verifies it, and not once a byte flips', () => {
      const nonce = '00112233445566778899aabbccddeeff';
      const response = signedResponse(keys, nonce, { answer: 'v=0 sdp answer' });
      const signature = Buffer.from(response.sig!, 'base64');
      const message = Buffer.from(`${nonce}\nv=0 sdp answer\n`, 'utf8');
      assert.deepEqual(signedAnswerBytes(nonce, response), message);
      assert.equal(sodium.crypto_sign_verify_detached(signature, message, keys.publicKeys.sign), true);
      for (const at of [0, message.length - 2]) {
        const flipped = Buffer.from(message);
        flipped[at]! ^= 0x01;
        assert.equal(sodium.crypto_sign_verify_detached(signature, flipped, keys.publicKeys.sign), false);
      }
      signature[5]! ^= 0x80;
      assert.equal(sodium.crypto_sign_verify_detached(signature, message, keys.publicKeys.sign), false);
    });
  });

  describe('key files', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'airlock-keys-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes an owner-only secret file and loads the same keys back into secure memory', () => {
      const secret = join(dir, 'oracle.key');
      keys.write(secret, join(dir, 'oracle.pub'));
      assert.equal(statSync(secret).mode & 0o777, 0o600);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'oracle.pub'), 'utf8')), {
        box: Buffer.from(keys.publicKeys.box).toString('base64'),
        sign: Buffer.from(keys.publicKeys.sign).toString('base64'),
      });
      const loaded = OracleKeys.load(secret);
      try {
        assert.deepEqual(loaded.publicKeys, keys.publicKeys);
        assert.equal(loaded.boxSecretKey().secure, true);
        const { sealed } = sealRegistration(request, keys.publicKeys.box, NOW_MS);
        assert.equal(new RegistrationOpener({ keys: loaded, clock }).open(sealed).offer, 'v=0 sdp offer');
      } finally {
        loaded.dispose();
      }
      assert.throws(() => keys.write(secret, join(dir, 'oracle.pub')), (error: unknown) => error instanceof KeyFileError && error.problem === 'exists');
    });

    it('refuses a key file that group or others can read', () => {
      const secret = join(dir, 'oracle.key');
      keys.write(secret, join(dir, 'oracle.pub'));
      chmodSync(secret, 0o640);
      assert.throws(() => OracleKeys.load(secret), (error: unknown) => error instanceof KeyFileError && error.code === 'KEY_FILE' && error.problem === 'loose-permissions');
      chmodSync(secret, 0o604);
      assert.throws(() => OracleKeys.load(secret), (error: unknown) => error instanceof KeyFileError && error.problem === 'loose-permissions');
    });

    it('refuses a missing key file and one of the wrong size', () => {
      assert.throws(() => OracleKeys.load(join(dir, 'absent.key')), (error: unknown) => error instanceof KeyFileError && error.problem === 'missing');
      const short = join(dir, 'short.key');
      writeFileSync(short, Buffer.alloc(10), { mode: 0o600 });
      assert.throws(() => OracleKeys.load(short), (error: unknown) => error instanceof KeyFileError && error.problem === 'wrong-size');
    });

    it('zeroes and frees the secrets on dispose', () => {
      const secret = keys.signSecretKey();
      keys.dispose();
      assert.equal(secret.length, 0);
      assert.throws(() => keys.signSecretKey(), KeysDisposedError);
    });
  });
});
