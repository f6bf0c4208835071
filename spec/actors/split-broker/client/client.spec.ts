import assert from 'node:assert/strict';
import sodium from 'sodium-native';
import { OracleKeys, signedResponse } from '../../../../actors/split-broker/oracle/index.ts';
import { encodeClientPollResponse } from '../../../../actors/split-broker/wire/index.ts';
import { AnswerSignatureError, proxyAnswerBody, proxyPollBody, readProxyPollResponse, sealRegistration, verifyAnswer } from '../../../../actors/split-broker/client/index.ts';

describe('client library', () => {
  let keys: OracleKeys;
  beforeEach(() => (keys = OracleKeys.generate()));
  afterEach(() => keys.dispose());

  it('seals a registration that only the Oracle key opens, as a 2.0 body', () => {
    const { body, sealed, nonce } = sealRegistration({ offer: 'sdp', nat: 'restricted' }, keys.publicKeys.box, 1_700_000_000_999);
    assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.equal(body, `2.0\n${Buffer.from(sealed).toString('base64')}`);
    const plain = Buffer.alloc(sealed.length - sodium.crypto_box_SEALBYTES);
    assert.equal(sodium.crypto_box_seal_open(plain, sealed, keys.publicKeys.box, keys.boxSecretKey()), true);
    assert.deepEqual(JSON.parse(plain.toString()), { offer: 'sdp', nat: 'restricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce, ts: 1_700_000_000 });
  });

  it('accepts an answer signed for its nonce, refuses a tampered, unsigned or misdirected one', () => {
    const nonce = sealRegistration({ offer: 'sdp', nat: 'unknown' }, keys.publicKeys.box).nonce;
    const signed = signedResponse(keys, nonce, { answer: 'sdp answer' });
    assert.deepEqual(verifyAnswer(encodeClientPollResponse(signed), nonce, keys.publicKeys.sign), signed);
    const invalid = (error: unknown) => error instanceof AnswerSignatureError && error.code === 'ANSWER_SIGNATURE';
    assert.throws(() => verifyAnswer(encodeClientPollResponse({ ...signed, answer: 'sdp answeR' }), nonce, keys.publicKeys.sign), invalid);
    assert.throws(() => verifyAnswer(encodeClientPollResponse({ answer: 'sdp answer' }), nonce, keys.publicKeys.sign), invalid);
    assert.throws(() => verifyAnswer(encodeClientPollResponse(signed), 'ffffffffffffffffffffffffffffffff', keys.publicKeys.sign), invalid);
    const errorSigned = signedResponse(keys, nonce, { error: 'no snowflake proxies currently available' });
    assert.deepEqual(verifyAnswer(encodeClientPollResponse(errorSigned), nonce, keys.publicKeys.sign).error, 'no snowflake proxies currently available');
  });

  it('builds a proxy\'s poll and answer bodies and reads a match', () => {
    assert.equal(proxyPollBody({ sid: 'abc', nat: 'unknown' }), '{"Sid":"abc","Version":"1.3","Type":"standalone","NAT":"unknown","Clients":0,"AcceptedRelayPattern":"snowflake.torproject.net$"}');
    assert.equal(proxyAnswerBody('abc', 'sdp'), '{"Version":"1.3","Sid":"abc","Answer":"sdp"}');
    assert.deepEqual(readProxyPollResponse('{"Status":"client match","Offer":"o","NAT":"restricted","RelayURL":"wss://r/"}'), { status: 'client match', offer: 'o', nat: 'restricted', relayURL: 'wss://r/' });
  });
});
