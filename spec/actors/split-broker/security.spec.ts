import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { child, createSystem, InvalidMessageError, startTree, supervisor } from '../../../internal.ts';
import { OracleProtocol, oracleActor, secretKeyPath, KeyFileError } from '../../../actors/split-broker/index.ts';
import { OracleKeys } from '../../../actors/split-broker/oracle/index.ts';
import { AnswerSignatureError, sealRegistration, verifyAnswer } from '../../../actors/split-broker/client/index.ts';
import { post, rendezvous } from './loopback.ts';
import { series, startBroker, type Broker } from './fixture.ts';

const request = { offer: 'v=0 offer', nat: 'unrestricted' as const };

describe('split broker security', function () {
  this.timeout(20_000);
  let broker: Broker;
  beforeEach(async () => (broker = await startBroker()));
  afterEach(() => broker.stop());

  const register = (body: string) => post(broker.ports.http, '/client', body);
  const rejections = async (reason: string) => series(await broker.metrics('keyholder'), `snowflake_oracle_rejections_total{reason="${reason}"}`);
  const refusals = async (reason: string) => series(await broker.metrics('edge'), `snowflake_registrar_refusals_total{method="http",reason="${reason}"}`);

  it('refuses forged, truncated, replayed and stale registrations with typed reasons; replayed and stale refusals are signed', async () => {
    const stranger = OracleKeys.generate();
    const forged = sealRegistration(request, stranger.publicKeys.box);
    stranger.dispose();
    assert.deepEqual(await register(forged.body).then((r) => [r.status, r.body]), [200, '{"error":"registration refused: forged"}']);
    assert.deepEqual(await register(`2.0\n${Buffer.alloc(40).toString('base64')}`).then((r) => r.body), '{"error":"registration refused: truncated"}');

    const stale = sealRegistration(request, broker.keys.box, Date.now() - 10 * 60_000);
    assert.deepEqual(verifyAnswer((await register(stale.body)).body, stale.nonce, broker.keys.sign), { error: 'registration refused: stale', sig: JSON.parse((await register(stale.body)).body).sig });

    // The first copy is opened (no proxy waits: denied); the second is a replay.
    const once = sealRegistration(request, broker.keys.box);
    assert.equal(verifyAnswer((await register(once.body)).body, once.nonce, broker.keys.sign).error, 'no snowflake proxies currently available');
    assert.equal(verifyAnswer((await register(once.body)).body, once.nonce, broker.keys.sign).error, 'registration refused: replayed');

    assert.deepEqual(
      [await rejections('forged'), await rejections('truncated'), await rejections('stale'), await rejections('replayed')],
      [1, 1, 2, 1],
    );
    // Nothing else was disturbed: the next honest client is matched.
    assert.equal(await rendezvous('http', broker.ports, broker.keys, '1'), 'answer of proxy-1 to offer of client-1');
  });

  it('refuses oversized bodies (400, empty) and unknown versions at the registrar, before the Oracle', async () => {
    assert.deepEqual(await register(`2.0\n${'A'.repeat(100_000)}`).then((r) => [r.status, r.body]), [400, '']);
    assert.deepEqual(await register('3.0\nwhatever').then((r) => [r.status, r.body]), [200, '{"error":"unsupported message version"}']);
    assert.deepEqual(await register('2.0\nnot base64!').then((r) => r.body), '{"error":"sealed registration is not base64"}');
    assert.deepEqual([await refusals('oversized'), await refusals('wrong-version'), await refusals('malformed')], [1, 1, 1]);
    assert.equal(series(await broker.metrics('keyholder'), 'snowflake_oracle_registrations_total{version="2.0"}'), 0);
    assert.equal(await rendezvous('http', broker.ports, broker.keys, '1'), 'answer of proxy-1 to offer of client-1');
  });

  it('a client refuses an unsigned answer (what a registrar in the middle could forge)', () => {
    const { nonce } = sealRegistration(request, broker.keys.box);
    assert.throws(() => verifyAnswer('{"answer":"evil"}', nonce, broker.keys.sign), AnswerSignatureError);
  });

  it('the edge speaks to the Oracle in sealed bytes only: plaintext fields are a type error and refused at runtime', () => {
    const sealed = sealRegistration(request, broker.keys.box).sealed;
    const oracle = broker.running.ref('keyholder/oracle', OracleProtocol);
    const typeChecks = () => {
      // @ts-expect-error -- a 2.0 registration carries no plaintext offer
      void oracle.tell('register', { version: '2.0', sealed, offer: 'v=0' });
      // @ts-expect-error -- and is never the decoded registration itself
      void oracle.tell('register', { version: '2.0', offer: 'v=0', nat: 'unrestricted', fingerprint: '', nonce: '', ts: 0 });
      // @ts-expect-error -- a 1.0 body travels as the opaque string it arrived as
      void oracle.tell('register', { version: '1.0', body: '1.0\n{}', nat: 'unrestricted' });
    };
    assert.equal(typeof typeChecks, 'function');
    assert.throws(() => OracleProtocol.validate('register', { version: '2.0', sealed, offer: 'v=0' }), InvalidMessageError);
    assert.throws(() => OracleProtocol.validate('register', { version: '1.0', body: 'x', nat: 'unrestricted' }), InvalidMessageError);
    assert.throws(() => OracleProtocol.validate('register', { version: '2.0', sealed: 'not bytes' }), InvalidMessageError);
    assert.ok(OracleProtocol.validate('register', { version: '2.0', sealed }));
  });
});

describe('the Oracle\'s key file', () => {
  it('with loose permissions, the Oracle refuses to start and its supervisor decides', async () => {
    const broker = await startBroker();
    chmodSync(secretKeyPath(broker.keyDir), 0o644);
    const system = createSystem();
    const failed = firstValueFrom(system.on('failed'));
    startTree(system, supervisor({ intensity: { maxRestarts: 0, withinMs: 1_000 }, children: [child('oracle', oracleActor, { config: { keyDir: broker.keyDir } })] }), 'keyholder');
    const event = await failed;
    assert.ok(event.error instanceof KeyFileError, String(event.error));
    assert.equal((event.error as KeyFileError).problem, 'loose-permissions');
    assert.equal(event.address, 'keyholder/oracle');
    await system.stop({ drainTimeoutMs: 0 });
    await broker.stop();
  });
});
