import assert from 'node:assert/strict';
import {
  AirlockError,
  InvalidSpecError,
  child,
  defineTopology,
  dynamicSupervisor,
  supervisor,
  type ChildSpec,
  type Restart,
  type Strategy,
} from '../../internal.ts';
import { counter } from '../support/fixtures.ts';

/** The code and message of what `build` throws; fails unless it is an `InvalidSpecError`. */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof InvalidSpecError, `expected InvalidSpecError, got ${String(error)}`);
    assert.ok(error instanceof AirlockError);
    return `${error.code}: ${error.message}`;
  }
  return assert.fail('expected a refusal');
}

describe('specs validated up front (InvalidSpecError, code INVALID_SPEC)', () => {
  it('child() refuses a bad id, restart type, shutdown or start', () => {
    assert.equal(
      refusal(() => child('a/b', counter)),
      `INVALID_SPEC: invalid spec of child "a/b": id "a/b" is not one address segment of letters, digits, '_', '.', '~' or '-' (at most 64)`,
    );
    assert.match(refusal(() => child('', counter)), /^INVALID_SPEC: invalid spec of child "": id "" is not one address segment/);
    assert.equal(
      refusal(() => child('a', counter, { restart: 'always' as Restart })),
      'INVALID_SPEC: invalid spec of child "a": restart "always" is not one of permanent, transient, temporary',
    );
    for (const shutdown of [-1, 1.5, Number.NaN, 'never']) {
      assert.match(refusal(() => child('a', counter, { shutdown: shutdown as number })), /shutdown .* is not a whole number of ms >= 0, 'brutal' or 'infinity'$/);
    }
    assert.match(refusal(() => child('a', {} as typeof counter)), /start is neither an actor definition/);
    assert.deepEqual(child('a', counter, { shutdown: 0 }).shutdown, 0);
  });

  it('supervisor() refuses duplicate ids, bad intensity numbers, backoff and strategy', () => {
    assert.equal(
      refusal(() => supervisor({ children: [child('a', counter), child('a', counter)] })),
      "INVALID_SPEC: invalid spec of supervisor: duplicate child id 'a'",
    );
    assert.equal(
      refusal(() => supervisor({ intensity: { maxRestarts: -1 }, children: [] })),
      'INVALID_SPEC: invalid spec of supervisor: intensity.maxRestarts -1 is not a whole number >= 0',
    );
    assert.equal(
      refusal(() => supervisor({ intensity: { withinMs: 0 }, children: [] })),
      'INVALID_SPEC: invalid spec of supervisor: intensity.withinMs 0 is not a whole number of ms > 0',
    );
    assert.match(refusal(() => supervisor({ intensity: { withinMs: Number.POSITIVE_INFINITY }, children: [] })), /intensity.withinMs Infinity/);
    assert.match(refusal(() => supervisor({ backoff: { minMs: 500, maxMs: 100 }, children: [] })), /backoff needs whole ms with 0 <= minMs <= maxMs \(got 500..100\)$/);
    assert.match(refusal(() => supervisor({ backoff: { jitter: 2 }, children: [] })), /backoff.jitter 2 is not between 0 and 1$/);
    assert.equal(
      refusal(() => supervisor({ strategy: 'all_for_one' as Strategy, children: [] })),
      'INVALID_SPEC: invalid spec of supervisor: strategy "all_for_one" is not one of one_for_one, one_for_all, rest_for_one',
    );
    // A hand-written child spec gets the same checks as child()'s.
    const handWritten = { id: 'x', start: counter, restart: 'sometimes', shutdown: 5_000 } as unknown as ChildSpec;
    assert.match(refusal(() => supervisor({ children: [handWritten] })), /restart "sometimes" is not one of/);
  });

  it('dynamicSupervisor() refuses a bad template or maxChildren', () => {
    assert.match(refusal(() => dynamicSupervisor({ child: counter, restart: 'forever' as Restart })), /restart "forever"/);
    assert.equal(
      refusal(() => dynamicSupervisor({ child: counter, maxChildren: 0 })),
      'INVALID_SPEC: invalid spec of dynamic supervisor: maxChildren 0 is not a whole number > 0',
    );
  });

  it('defineTopology() refuses no node, a bad node name or a node without a supervisor tree', () => {
    assert.equal(refusal(() => defineTopology('t', {})), 'INVALID_SPEC: invalid spec of topology t: it has no node');
    assert.match(refusal(() => defineTopology('t', { 'a/b': supervisor({ children: [] }) })), /^INVALID_SPEC: invalid spec of topology t: id "a\/b"/);
    assert.equal(
      refusal(() => defineTopology('t', { edge: { tree: child('a', counter) } as never })),
      'INVALID_SPEC: invalid spec of node edge: its tree is not a supervisor spec (supervisor(...) or dynamicSupervisor(...))',
    );
  });
});
