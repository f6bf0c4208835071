import assert from 'node:assert/strict';
import type { ChildStatus } from '../../internal.ts';
import { rowsOf, type ActorRow } from '../../bin/observer/actor-row.ts';
import { changesBetween } from '../../bin/observer/observed-event.ts';

const actor = (address: string, fields: Partial<ChildStatus> = {}): ChildStatus => ({ address, kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 0, handled: 0, ...fields });
const tree = (...children: ChildStatus[]): ChildStatus[] => [{ address: 'edge', kind: 'supervisor', state: 'running', restarts: 0, strategy: 'one_for_one', children }];
const rows = (statuses: ChildStatus[], previous: ActorRow[] = [], elapsedMs = 1_000) => rowsOf('edge', statuses, new Map(previous.map((row) => [row.key, row])), elapsedMs, new Map());

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

  it('derives messages handled per second from two polls, none across a restart that reset the count', () => {
    const first = rows(tree(actor('edge/http', { handled: 100 })));
    assert.equal(first[1].handledPerSecond, undefined);
    assert.equal(rows(tree(actor('edge/http', { handled: 350 })), first, 500)[1].handledPerSecond, 500);
    assert.equal(rows(tree(actor('edge/http', { handled: 3, restarts: 1 })), first, 500)[1].handledPerSecond, undefined);
  });
});
