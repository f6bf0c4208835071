import assert from 'node:assert/strict';
import { z } from 'zod';
import { decodeEnvelope, defineActor, defineProtocol, encodeEnvelope, isTraceparent, TRACEPARENT, type Envelope } from '../../internal.ts';
import { testSystem } from '../support/fixtures.ts';

import { TRACE } from '../support/trace.ts';

describe('W3C trace context: traceparent in envelope headers', () => {
  const cases: [string, unknown, boolean][] = [
    ['the spec example', TRACE, true],
    ['a later version, same format', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', true],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, false],
    ['an all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, false],
    ['upper-case hex', TRACE.toUpperCase(), false],
    ['too long', `${TRACE}-extra`, false],
    ['not a string', 42, false],
  ];
  for (const [what, value, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${what}`, () => assert.equal(isTraceparent(value), ok));
  }

  it('drops a malformed traceparent from decoded bytes, keeping the message and its other headers', () => {
    const envelope: Envelope = { id: 'x', to: 'a', type: 't', body: {}, headers: { [TRACEPARENT]: 'garbage', tenant: 'acme' }, attempt: 0 };
    const decoded = decodeEnvelope(encodeEnvelope(envelope));
    assert.deepEqual(decoded.headers, { tenant: 'acme' });
    const good = decodeEnvelope(encodeEnvelope({ ...envelope, headers: { [TRACEPARENT]: TRACE } }));
    assert.equal(good.headers?.[TRACEPARENT], TRACE);
  });

  const Back = defineProtocol('spec.trace.back', { seen: { body: z.object({}), reply: z.string() } });
  const Front = defineProtocol('spec.trace.front', { relay: { body: z.object({}), reply: z.string() }, plain: { body: z.object({}), reply: z.string() } });
  const back = defineActor({ protocol: Back, setup: (ctx) => ({ seen: () => ctx.traceparent ?? 'none' }) });
  const front = defineActor({
    protocol: Front,
    setup: (ctx) => {
      const next = ctx.ref('t/back', Back);
      return {
        // The ask made while handling carries the handled message's trace on.
        relay: async () => next.ask('seen', {}),
        // Passed on by hand into a replyLater promise, which runs after the handler returned.
        plain: () => {
          const traceparent = ctx.traceparent;
          return ctx.replyLater(Promise.resolve().then(() => next.ask('seen', {}, traceparent ? { traceparent } : {})));
        },
      };
    },
  });

  it("carries an ask's traceparent on through the asks its handler makes; ctx.traceparent reads it", async () => {
    const { system } = testSystem('t');
    system.spawn(back, 't/back');
    const ref = system.spawn(front, 't/front');
    assert.equal(await ref.ask('relay', {}, { traceparent: TRACE }), TRACE);
    assert.equal(await ref.ask('plain', {}, { traceparent: TRACE }), TRACE);
    assert.equal(await ref.ask('relay', {}), 'none');
    await system.stop();
  });

  it('refuses to send a malformed traceparent, typed', async () => {
    const { system } = testSystem('t');
    const ref = system.spawn(back, 't/back');
    await assert.rejects(ref.ask('seen', {}, { traceparent: 'nope' }), { code: 'INVALID_TRACEPARENT' });
    await assert.rejects(ref.tell('seen', {}, { headers: { [TRACEPARENT]: 'nope' } }), { code: 'INVALID_TRACEPARENT' });
    await system.stop();
  });
});
