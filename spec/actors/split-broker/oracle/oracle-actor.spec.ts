import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodium from 'sodium-native';
import { child, defineActor, defineTopology, run, supervisor } from '../../../../index.ts';
import { MatcherProtocol, OracleProtocol, oracleActor, readPublicKeys, writeKeyDir } from '../../../../actors/split-broker/index.ts';
import { signedAnswerBytes } from '../../../../actors/split-broker/wire/index.ts';
import { sealRegistration } from '../../../../actors/split-broker/client/index.ts';

/** Answers each offer with an answer naming it, so every reply is told apart. */
const echoMatcher = defineActor({
  protocol: MatcherProtocol,
  setup: () => ({
    proxyPoll: () => ({ status: 'no match' as const }),
    withdrawPoll: () => {},
    clientOffer: (offer) => ({ answer: `answer to ${offer.offer}` }),
    answer: () => 'client gone' as const,
  }),
});

describe('Oracle actor', () => {
  it('signs each of many registrations in flight at once over its own nonce and answer', async () => {
    const root = mkdtempSync(join(tmpdir(), 'airlock-oracle-actor-'));
    const keyDir = join(root, 'oracle');
    writeKeyDir(keyDir);
    const publicKeys = readPublicKeys(keyDir);
    const running = run(
      defineTopology('oracle-actor-spec', {
        keyholder: supervisor({ children: [child('oracle', oracleActor, { config: { keyDir } })] }),
        core: supervisor({ children: [child('matcher', echoMatcher)] }),
      }),
    );
    try {
      const oracle = running.ref('keyholder/oracle', OracleProtocol);
      const sealed = Array.from({ length: 64 }, (_, i) => sealRegistration({ offer: `offer ${i} ${'x'.repeat(i * 7)}`, nat: 'unrestricted' }, publicKeys.box));
      const replies = await Promise.all(sealed.map((registration) => oracle.ask('register', { version: '2.0', sealed: registration.sealed })));
      replies.forEach((reply, i) => {
        const answer = `answer to offer ${i} ${'x'.repeat(i * 7)}`;
        assert.deepEqual({ ...reply, sig: undefined }, { answer, sig: undefined });
        const message = signedAnswerBytes(sealed[i]!.nonce, { answer });
        assert.equal(sodium.crypto_sign_verify_detached(Buffer.from(reply.sig!, 'base64'), message, publicKeys.sign), true, `reply ${i}`);
      });
    } finally {
      await running.stop({ drainTimeoutMs: 0 });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
