// Type-level checks: each `@ts-expect-error` below must be an error, or `tsc --noEmit` fails.
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineActor, defineProtocol } from '../../internal.ts';

const Poll = defineProtocol('poll', {
  poll: { body: z.object({}), reply: z.union([z.object({ offer: z.string() }), z.object({ error: z.string() })]) },
  count: { body: z.object({}), reply: z.number() },
  note: { body: z.object({}) },
});

const offer = (): Promise<{ offer: string }> => Promise.resolve({ offer: 'sdp' });

describe('late reply types', () => {
  it('accepts a late reply of the message\'s reply type, or of one member of its union', () => {
    const definition = defineActor({
      protocol: Poll,
      setup: (ctx) => ({
        poll: () => ctx.replyLater(offer()),
        count: () => ctx.replyLater(Promise.resolve(1)),
        note: () => {},
      }),
    });
    assert.equal(definition.kind, 'handler');
  });

  it('refuses a late reply of another type', () => {
    const definition = defineActor({
      protocol: Poll,
      setup: (ctx) => ({
        // @ts-expect-error -- `count` replies with a number, not a string
        count: () => ctx.replyLater(Promise.resolve('one')),
        // @ts-expect-error -- `{ answer }` is neither of `poll`'s replies
        poll: () => ctx.replyLater(Promise.resolve({ answer: 'sdp' })),
        note: () => {},
      }),
    });
    assert.equal(definition.kind, 'handler');
  });

  it('refuses a late reply to a message that takes none', () => {
    const definition = defineActor({
      protocol: Poll,
      setup: (ctx) => ({
        poll: () => ctx.replyLater(offer()),
        count: () => 1,
        // @ts-expect-error -- `note` is told, never asked: there is nobody to reply to
        note: () => ctx.replyLater(Promise.resolve(1)),
      }),
    });
    assert.equal(definition.kind, 'handler');
  });
});
