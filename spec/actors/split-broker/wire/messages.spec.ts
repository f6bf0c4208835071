import assert from 'node:assert/strict';
import {
  SnowflakeMessageError,
  clientBodyKind,
  decodeAnswerRequest,
  decodeAnswerResponse,
  decodeClientPollRequest,
  decodeClientPollResponse,
  decodeProxyPollRequest,
  decodeProxyPollResponse,
  decodeSealedBody,
  encodeAnswerRequest,
  encodeAnswerResponse,
  encodeClientPollRequest,
  encodeClientPollResponse,
  encodeNoMatch,
  encodeProxyMatch,
  encodeProxyPollRequest,
  encodeSealedBody,
  legacyClientPollRequest,
  legacyHttpResponse,
} from '../../../../actors/split-broker/wire/index.ts';

const refusedWith = (kind: string, reason: string) => (error: unknown) =>
  error instanceof SnowflakeMessageError && error.code === 'SNOWFLAKE_MESSAGE' && error.kind === kind && error.reason === reason;

describe('Snowflake wire formats (2.5 common/messages)', () => {
  describe('ProxyPollRequest', () => {
    it('encodes v1.3 with the fields in Go struct order', () => {
      assert.equal(
        encodeProxyPollRequest({ sid: 'ymbcCMto7KHNGYlp', type: 'standalone', nat: 'unknown', clients: 16, acceptedRelayPattern: 'snowflake.torproject.net$' }),
        '{"Sid":"ymbcCMto7KHNGYlp","Version":"1.3","Type":"standalone","NAT":"unknown","Clients":16,"AcceptedRelayPattern":"snowflake.torproject.net$"}',
      );
    });

    // Snowflake's own messages_test.go vectors.
    const accepted: [string, object][] = [
      ['{"Sid":"ymbcCMto7KHNGYlp","Version":"1.0"}', { sid: 'ymbcCMto7KHNGYlp', version: '1.0', type: 'unknown', nat: 'unknown', clients: 0, acceptedRelayPattern: null }],
      ['{"Sid":"ymbcCMto7KHNGYlp","Version":"1.1","Type":"standalone"}', { sid: 'ymbcCMto7KHNGYlp', version: '1.1', type: 'standalone', nat: 'unknown', clients: 0, acceptedRelayPattern: null }],
      ['{"Sid":"ymbcCMto7KHNGYlp","Version":"1.2","Type":"standalone", "NAT":"restricted","Clients":24}', { sid: 'ymbcCMto7KHNGYlp', version: '1.2', type: 'standalone', nat: 'restricted', clients: 24, acceptedRelayPattern: null }],
      ['{"Sid":"ymbcCMto7KHNGYlp","Version":"1.2","Type":"standalone", "NAT":"restricted","Clients":24, "AcceptedRelayPattern":"snowfalke.torproject.org"}', { sid: 'ymbcCMto7KHNGYlp', version: '1.2', type: 'standalone', nat: 'restricted', clients: 24, acceptedRelayPattern: 'snowfalke.torproject.org' }],
      ['{"sid":"s","version":"1.3","type":"my-embedded-proxy","nat":"unrestricted"}', { sid: 's', version: '1.3', type: 'unknown', nat: 'unrestricted', clients: 0, acceptedRelayPattern: null }],
    ];
    for (const [body, expected] of accepted) {
      it(`decodes ${body}`, () => assert.deepEqual(decodeProxyPollRequest(body), expected));
    }

    const refused: [string, string][] = [
      ['{"Sid":"ymbcCMto7KHNGYlp"}', 'using unknown version'],
      ['{}', 'using unknown version'],
      ['{"Version":"1.0"}', 'no supplied session id'],
      ['{"Version":"2.0"}', 'using unknown version'],
      ['{"Sid":"s","Version":"1.3","NAT":"symmetric"}', 'invalid NAT type'],
    ];
    for (const [body, reason] of refused) {
      it(`refuses ${body}: ${reason}`, () => assert.throws(() => decodeProxyPollRequest(body), refusedWith('proxy-poll-request', reason)));
    }

    it('refuses non-JSON, a non-object and wrongly typed fields with a typed error', () => {
      for (const body of ['', 'garbage', '[1]', '{"Sid":"s","Version":"1.3","Clients":"many"}', '{"Sid":"s","Version":"1.3","Clients":2.5}', '{"Sid":7,"Version":"1.3"}']) {
        assert.throws(() => decodeProxyPollRequest(body), (error: unknown) => error instanceof SnowflakeMessageError && error.kind === 'proxy-poll-request', body);
      }
    });
  });

  describe('ProxyPollResponse', () => {
    it('encodes a match and the no-match exactly as Tor\'s broker does', () => {
      assert.equal(
        encodeProxyMatch({ offer: 'fake offer', nat: 'restricted', relayURL: 'wss://test/' }),
        '{"Status":"client match","Offer":"fake offer","NAT":"restricted","RelayURL":"wss://test/"}',
      );
      assert.equal(encodeNoMatch(), '{"Status":"no match","Offer":"","NAT":"","RelayURL":""}');
      assert.equal(encodeNoMatch('incorrect relay pattern'), '{"Status":"incorrect relay pattern","Offer":"","NAT":"","RelayURL":""}');
    });

    it('escapes <, > and & as Go\'s json.Marshal', () => {
      assert.equal(encodeProxyMatch({ offer: 'a<b>&c', nat: 'unknown', relayURL: '' }), '{"Status":"client match","Offer":"a\\u003cb\\u003e\\u0026c","NAT":"unknown","RelayURL":""}');
    });

    it('decodes Snowflake\'s vectors', () => {
      assert.deepEqual(decodeProxyPollResponse('{"Status":"client match","Offer":"fake offer","NAT":"unknown", "RelayURL":"wss://snowflake.torproject.org/proxy"}'), {
        status: 'client match', offer: 'fake offer', nat: 'unknown', relayURL: 'wss://snowflake.torproject.org/proxy',
      });
      assert.deepEqual(decodeProxyPollResponse('{"Status":"no match"}'), { status: 'no match', offer: '', nat: 'unknown', relayURL: '' });
      assert.throws(() => decodeProxyPollResponse('{"Status":"client match"}'), refusedWith('proxy-poll-response', 'no supplied offer'));
      assert.throws(() => decodeProxyPollResponse('{"Test":"test"}'), refusedWith('proxy-poll-response', 'received invalid data'));
    });
  });

  describe('answers', () => {
    it('round-trips an AnswerRequest in Go field order', () => {
      const body = encodeAnswerRequest({ sid: 'test sid', answer: 'test answer' });
      assert.equal(body, '{"Version":"1.3","Sid":"test sid","Answer":"test answer"}');
      assert.deepEqual(decodeAnswerRequest(body), { sid: 'test sid', answer: 'test answer' });
    });

    it('refuses an answer without sid or answer, or of another major version', () => {
      assert.throws(() => decodeAnswerRequest('{"Version":"1.0","Answer":"test"}'), refusedWith('answer-request', 'no supplied sid or answer'));
      assert.throws(() => decodeAnswerRequest('{"Version":"1.0","Sid":"test"}'), refusedWith('answer-request', 'no supplied sid or answer'));
      assert.throws(() => decodeAnswerRequest('{"type":"offer","sdp":"v=0"}'), refusedWith('answer-request', 'using unknown version'));
    });

    it('encodes and decodes both answer statuses', () => {
      assert.equal(encodeAnswerResponse('success'), '{"Status":"success"}');
      assert.equal(encodeAnswerResponse('client gone'), '{"Status":"client gone"}');
      assert.equal(decodeAnswerResponse('{"Status":"success"}'), true);
      assert.equal(decodeAnswerResponse('{"Status":"client gone"}'), false);
      assert.throws(() => decodeAnswerResponse('{"Test":"test"}'), refusedWith('answer-response', 'received invalid data'));
    });
  });

  describe('ClientPollRequest 1.0', () => {
    it('encodes with the default bridge fingerprint when none is given', () => {
      assert.equal(encodeClientPollRequest({ offer: 'fake', nat: 'unknown' }), '1.0\n{"offer":"fake","nat":"unknown","fingerprint":"2B280B23E1107BB62ABFC40DDCC8824814F80A72"}');
    });

    it('decodes Snowflake\'s vectors, defaulting NAT and fingerprint', () => {
      const expected = { offer: 'fake', nat: 'unknown', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72' };
      assert.deepEqual(decodeClientPollRequest('1.0\n{"nat":"unknown","offer":"fake"}'), expected);
      assert.deepEqual(decodeClientPollRequest('1.0\n{"offer":"fake"}'), expected);
    });

    const refused: [string, string][] = [
      ['{"version":"2.0"}', 'unsupported message version'],
      ['3.0\n{"offer":"fake"}', 'unsupported message version'],
      ['1.0\n{"nat":"unknown"}', 'no supplied offer'],
      ['1.0\n{"offer":"fake","fingerprint":"123123"}', 'cannot decode fingerprint'],
      ['1.0\n{"offer":"fake","nat":"open"}', 'invalid NAT type'],
    ];
    for (const [body, reason] of refused) {
      it(`refuses ${JSON.stringify(body)}: ${reason}`, () => assert.throws(() => decodeClientPollRequest(body), refusedWith('client-poll-request', reason)));
    }
  });

  describe('client bodies', () => {
    it('tells legacy, 1.0 and 2.0 bodies apart from the version line only', () => {
      assert.equal(clientBodyKind('{"type":"offer"}'), 'legacy');
      assert.equal(clientBodyKind('1.0\n{}'), '1.0');
      assert.equal(clientBodyKind('2.0\nAAAA'), '2.0');
      for (const body of ['', '2.0', '1.1\n{}', '2.0 \nAAAA']) {
        assert.throws(() => clientBodyKind(body), refusedWith('client-poll-request', 'unsupported message version'), JSON.stringify(body));
      }
    });

    it('turns a legacy body into the 1.0 request Snowflake builds from it', () => {
      assert.equal(legacyClientPollRequest('{"type":"offer"}', 'restricted'), '1.0\n{"offer":"{\\"type\\":\\"offer\\"}","nat":"restricted","fingerprint":"2B280B23E1107BB62ABFC40DDCC8824814F80A72"}');
      assert.deepEqual(decodeClientPollRequest(legacyClientPollRequest('x', undefined)).nat, 'unknown');
    });

    it('answers legacy clients with 200 / 503 / 504 as Snowflake does', () => {
      assert.deepEqual(legacyHttpResponse({ answer: 'sdp' }), { status: 200, body: 'sdp' });
      assert.deepEqual(legacyHttpResponse({ error: 'no snowflake proxies currently available' }), { status: 503, body: '' });
      assert.deepEqual(legacyHttpResponse({ error: 'timed out waiting for answer!' }), { status: 504, body: '' });
    });

    it('answers a refused legacy request 400 with the reason, and 500 only when the broker failed itself', () => {
      assert.deepEqual(legacyHttpResponse({ error: 'invalid NAT type' }), { status: 400, body: 'invalid NAT type' });
      assert.deepEqual(legacyHttpResponse({ error: 'bridge not found' }), { status: 400, body: 'bridge not found' });
      assert.deepEqual(legacyHttpResponse({ error: 'broker unavailable' }), { status: 500, body: '' });
    });

    it('round-trips a sealed 2.0 body and refuses one that is not strict base64', () => {
      const sealed = Uint8Array.from([0, 1, 2, 250, 251, 252]);
      assert.equal(encodeSealedBody(sealed), '2.0\nAAEC+vv8');
      assert.deepEqual(decodeSealedBody('2.0\nAAEC+vv8'), sealed);
      for (const body of ['2.0\nAAEC+vv', '2.0\nAA EC', '2.0\nAAE=C+vv', '1.0\nAAAA']) {
        assert.throws(() => decodeSealedBody(body), (error: unknown) => error instanceof SnowflakeMessageError, body);
      }
    });
  });

  describe('ClientPollResponse', () => {
    it('leaves out empty fields (omitempty) and decodes Snowflake\'s vectors', () => {
      assert.equal(encodeClientPollResponse({ answer: 'fake answer' }), '{"answer":"fake answer"}');
      assert.equal(encodeClientPollResponse({ error: 'no snowflake proxies currently available', sig: 'c2ln' }), '{"error":"no snowflake proxies currently available","sig":"c2ln"}');
      assert.deepEqual(decodeClientPollResponse('{"answer":"fake answer"}'), { answer: 'fake answer' });
      assert.deepEqual(decodeClientPollResponse('{"error":"no snowflakes"}'), { error: 'no snowflakes' });
      assert.throws(() => decodeClientPollResponse('{}'), refusedWith('client-poll-response', 'received empty broker response'));
    });
  });
});
