import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineProtocol, InvalidMessageError, UnknownMessageTypeError } from '../../internal.ts';

const Shop = defineProtocol('shop', {
  order: { body: z.object({ item: z.string().min(1), qty: z.number().int().positive() }).refine((o) => o.qty <= 10, 'at most 10 per order') },
  ping: { body: z.object({}) },
});

describe('protocol refusal (the in-process send check)', () => {
  it('accepts a valid body without copying or changing it', () => {
    const body = { item: 'tea', qty: 2 };
    assert.equal(Shop.refusal('order', body, true), undefined);
    assert.deepEqual(body, { item: 'tea', qty: 2 });
  });

  it('refuses a wrong body with the same typed error and issues as validate, refinements included', () => {
    for (const body of [{ item: '', qty: 2 }, { item: 'tea', qty: 1.5 }, { item: 'tea', qty: 11 }, 'tea']) {
      const refused = Shop.refusal('order', body, true);
      assert.ok(refused instanceof InvalidMessageError);
      assert.equal(refused.code, 'INVALID_MESSAGE');
      assert.throws(() => Shop.validate('order', body), (error: unknown) => error instanceof InvalidMessageError && error.message === refused.message);
    }
    assert.deepEqual((Shop.refusal('order', { item: 'tea', qty: 11 }, true) as InvalidMessageError).issues, ['(body): at most 10 per order']);
  });

  it('refuses an unknown type, prototype keys included, and skips only the body check when told', () => {
    for (const type of ['refund', 'toString', 'constructor', '__proto__']) {
      const refused = Shop.refusal(type, {}, false);
      assert.ok(refused instanceof UnknownMessageTypeError && refused.type === type && refused.protocol === 'shop');
      assert.equal(Shop.has(type), false);
    }
    assert.equal(Shop.refusal('order', { qty: 'many' }, false), undefined);
  });
});
