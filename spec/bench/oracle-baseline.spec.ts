import assert from 'node:assert/strict';
import sodium from 'sodium-native';
import { OracleKeys } from '../../actors/split-broker/oracle/index.ts';
import { signedAnswerBytes } from '../../actors/split-broker/wire/index.ts';
import { sealRegistration } from '../../actors/split-broker/client/index.ts';
import { rawAnswer, rawNonceMemory } from '../../bench/broker/oracle-baseline.ts';

const request = { offer: 'v=0 sdp offer', nat: 'unrestricted' as const };

/** Seals arbitrary plaintext bytes for `keys`. */
function sealBytes(keys: OracleKeys, plain: Buffer): Uint8Array {
  const sealed = Buffer.alloc(plain.length + sodium.crypto_box_SEALBYTES);
  sodium.crypto_box_seal(sealed, plain, keys.publicKeys.box);
  return sealed;
}

// The Oracle figure compares the actor with this loop: it must not skip a check the Oracle makes.
describe('the Oracle benchmark baseline', () => {
  let keys: OracleKeys;
  beforeEach(() => (keys = OracleKeys.generate()));
  afterEach(() => keys.dispose());

  it('answers a fresh registration signed over its nonce, as the Oracle does', () => {
    const { sealed, nonce } = sealRegistration(request, keys.publicKeys.box);
    const reply = rawAnswer(keys, rawNonceMemory(), sealed);
    assert.equal(reply.answer, 'sdp answer');
    const message = signedAnswerBytes(nonce, { answer: 'sdp answer' });
    assert.equal(sodium.crypto_sign_verify_detached(Buffer.from(reply.sig, 'base64'), message, keys.publicKeys.sign), true);
  });

  it('refuses what the Oracle refuses: replayed, stale either side, forged, not UTF-8, truncated', () => {
    const nonces = rawNonceMemory();
    const { sealed } = sealRegistration(request, keys.publicKeys.box);
    rawAnswer(keys, nonces, sealed);
    assert.throws(() => rawAnswer(keys, nonces, sealed), /replayed/);
    for (const skewMs of [-121_000, 121_000]) {
      assert.throws(() => rawAnswer(keys, nonces, sealRegistration(request, keys.publicKeys.box, Date.now() + skewMs).sealed), /stale/);
    }
    const flipped = Buffer.from(sealRegistration(request, keys.publicKeys.box).sealed);
    flipped[40]! ^= 0x01;
    assert.throws(() => rawAnswer(keys, nonces, flipped), /forged/);
    assert.throws(() => rawAnswer(keys, nonces, sealBytes(keys, Buffer.from([0x22, 0xff, 0x22]))), TypeError);
    assert.throws(() => rawAnswer(keys, nonces, new Uint8Array(sodium.crypto_box_SEALBYTES)), /truncated/);
  });
});
