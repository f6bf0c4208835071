import assert from 'node:assert/strict';
import { MailboxFullError, child, defineActor, startTree, supervisor, type ActorSystem } from '../../index.ts';
import { Counter, counter, settleMany, testSystem } from '../support/fixtures.ts';

/** A counter whose mailbox holds two messages; it starts busy so nothing drains meanwhile. */
const small = (overflow: 'reject' | 'backpressure') =>
  defineActor({ ...counter, protocol: Counter, mailbox: { capacity: 2, overflow } });

describe('Mailbox overflow', () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it("rejects the sender with MailboxFullError under 'reject' and keeps what it holds", async () => {
    const rejected: string[] = [];
    system.on('rejected').subscribe((event) => rejected.push(event.reason.constructor.name));
    const ref = system.spawn(small('reject'), 'small');
    const accepted = [ref.tell('add', { by: 1 }), ref.tell('add', { by: 2 })];
    const third = ref.tell('add', { by: 4 });
    await Promise.all(accepted);
    await assert.rejects(third, (error: unknown) => error instanceof MailboxFullError && error.capacity === 2 && error.address === 'small');
    assert.deepEqual(rejected, ['MailboxFullError']);
    assert.equal(await ref.ask('get', {}), 3, 'the two accepted messages were handled, the third was not');
  });

  it("holds the sender's promise under 'backpressure' until there is room, losing nothing", async () => {
    const ref = system.spawn(small('backpressure'), 'small');
    const order: string[] = [];
    const sends = [1, 2, 4, 8].map((by) => ref.tell('add', { by }).then(() => order.push(`accepted ${by}`)));
    await settleMany(1);
    assert.deepEqual(order.slice(0, 2), ['accepted 1', 'accepted 2']);
    await Promise.all(sends);
    assert.deepEqual(order, ['accepted 1', 'accepted 2', 'accepted 4', 'accepted 8']);
    assert.equal(await ref.ask('get', {}), 15);
  });

  it('keeps waiting messages across a restart of the actor (the mailbox outlives incarnations)', async () => {
    startTree(system, supervisor({ children: [child('c', counter)] }), 'sup');
    const ref = system.ref('sup/c', Counter);
    await ref.tell('add', { by: 1 });
    await ref.tell('crash', { reason: 'boom' });
    await ref.tell('add', { by: 10 });
    await ref.tell('add', { by: 100 });
    await settleMany();
    assert.equal(await ref.ask('get', {}), 110, 'the new incarnation starts from zero and handles the rest');
  });
});
