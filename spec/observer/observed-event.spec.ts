import assert from 'node:assert/strict';
import type { ChildStatus } from '../../internal.ts';
import { rowsOf, type ActorRow } from '../../bin/observer/actor-row.ts';
import type { ActorStatsWire } from '../../node/index.ts';
import { changesBetween } from '../../bin/observer/observed-event.ts';

const actor = (address: string, fields: Partial<ChildStatus> = {}): ChildStatus => ({ address, kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 0, handled: 0, ...fields });
const tree = (...children: ChildStatus[]): ChildStatus[] => [{ address: 'edge', kind: 'supervisor', state: 'running', restarts: 0, strategy: 'one_for_one', children }];
const rows = (statuses: ChildStatus[], previous: ActorRow[] = [], elapsedMs = 1_000) => rowsOf('edge', statuses, new Map(previous.map((row) => [row.key, row])), { stats: new Map(), previousStats: new Map(), elapsedMs }, new Map());

/** What the observer reads from two polls of a node: the events, and the handled rate. */
describe('the observer reading two polls of a node', () => {
  const cases: [string, ChildStatus[], ChildStatus[], [string, string, string][]][] = [
    ['nothing changed', tree(actor('edge/http')), tree(actor('edge/http')), []],
    ['a restart', tree(actor('edge/http')), tree(actor('edge/http', { restarts: 2 })), [['restarted', 'edge/http', 'restart #2']]],
    ['a stop', tree(actor('edge/http')), tree(actor('edge/http', { state: 'stopped' })), [['stopped', 'edge/http', 'running → stopped']]],
    ['a start', tree(actor('edge/http', { state: 'stopped' })), tree(actor('edge/http')), [['started', 'edge/http', 'stopped → running']]],
    ['a failure', tree(actor('edge/http')), tree(actor('edge/http', { state: 'failed' })), [['failed', 'edge/http', 'running → failed']]],
    ['a dynamic child added', tree(actor('edge/http')), tree(actor('edge/http'), actor('edge/peer-1')), [['started', 'edge/peer-1', 'actor appeared (running)']]],
    ['a dynamic child removed', tree(actor('edge/http'), actor('edge/peer-1')), tree(actor('edge/http')), [['stopped', 'edge/peer-1', 'actor removed']]],
  ];
  for (const [what, before, after, expected] of cases) {
    it(what, () => {
      const events = changesBetween(new Map(rows(before).map((row) => [row.key, row])), rows(after));
      assert.deepEqual(events.map((event) => [event.kind, event.address, event.detail]), expected);
    });
  }

  it('reads no events from the first poll (everything "appears")', () => {
    assert.deepEqual(changesBetween(new Map(), rows(tree(actor('edge/http')))), []);
  });

  it('flattens the tree parents first, with depth and position', () => {
    assert.deepEqual(rows(tree(actor('edge/http'), actor('edge/smtp'))).map((row) => [row.address, row.depth, row.position, row.parent, row.hasChildren]), [
      ['edge', 0, 0, undefined, true],
      ['edge/http', 1, 1, 'edge', false],
      ['edge/smtp', 1, 2, 'edge', false],
    ]);
  });

  it('adds each actor\'s live figures from stats: bound, rates over the node\'s clock, ask quantiles, machine state, last exit', () => {
    const figures = (received: number, handled: number): ActorStatsWire => ({
      address: 'edge/http',
      state: 'running',
      incarnation: 3,
      restarts: 2,
      lastExit: { kind: 'failure', at: 5, code: 'ACTOR_CRASHED', message: 'boom' },
      mailbox: { depth: 4, capacity: 10_000, overflow: 'reject' },
      received,
      handled,
      failed: 1,
      crashes: 1,
      refused: 0,
      deadLettered: 2,
      asks: { count: 9, sumMs: 20, p50Ms: 1, p99Ms: '+Inf', buckets: [] },
      behaviour: 'machine',
      machineState: { serving: 'idle' },
    });
    const [, row] = rowsOf('edge', tree(actor('edge/http', { restarts: 2 })), new Map(), { stats: new Map([['edge/http', figures(300, 250)]]), previousStats: new Map([['edge/http', figures(100, 50)]]), elapsedMs: 2_000 }, new Map([['edge/http', 1]]));
    assert.deepEqual(
      { ...row, key: undefined },
      {
        key: undefined, node: 'edge', address: 'edge/http', parent: 'edge', position: 1, depth: 1, kind: 'actor', state: 'running', restarts: 2, hasChildren: false,
        mailboxDepth: 4, mailboxBound: 10_000, handled: 250, failed: 1, receivedPerSecond: 100, handledPerSecond: 100, askP50Ms: 1, askP99Ms: '+Inf',
        deadLettered: 2, deadLetters: 1, machineState: '{"serving":"idle"}', incarnation: 3, lastExit: 'failure (ACTOR_CRASHED: boom)',
      },
    );
  });

  it('marks a standby child with its lease and whether this node holds it', () => {
    const [, held, standing] = rows(tree(actor('edge/bridge', { standby: { lease: 'bridge', holder: true } }), actor('edge/other', { standby: { lease: 'other', holder: false } })));
    assert.deepEqual([held.lease, held.leaseHolder, standing.lease, standing.leaseHolder], ['bridge', true, 'other', false]);
  });

  it('derives messages handled per second from two statuses when a node has no stats, none across a restart that reset the count', () => {
    const first = rows(tree(actor('edge/http', { handled: 100 })));
    assert.equal(first[1].handledPerSecond, undefined);
    assert.equal(rows(tree(actor('edge/http', { handled: 350 })), first, 500)[1].handledPerSecond, 500);
    assert.equal(rows(tree(actor('edge/http', { handled: 3, restarts: 1 })), first, 500)[1].handledPerSecond, undefined);
  });
});
