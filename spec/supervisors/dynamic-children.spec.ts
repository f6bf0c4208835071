import assert from 'node:assert/strict';
import {
  child,
  defineActor,
  defineTopology,
  dynamicSupervisor,
  run,
  supervisor,
  VirtualClock,
  type AirlockError,
  type RunningTopology,
} from '../../internal.ts';
import { Customers, Customer, customerWorker, managerOf } from '../support/dynamic-children.ts';

/** One node: a dynamic supervisor of customers (at most 2), a plain worker, and the manager that uses the handle. */
const topology = defineTopology('dyn', {
  core: supervisor({
    children: [
      child('customers', dynamicSupervisor({ child: customerWorker, maxChildren: 2 })),
      child('ledger', customerWorker, { config: { limit: 1 } }),
      child('manager', managerOf('core/customers')),
    ],
  }),
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    () => assert.fail('expected a refusal'),
    (caught: unknown) => caught,
  )) as AirlockError;
  return error.code;
}

describe('ctx.dynamicSupervisor(address): an actor starts, stops and lists a dynamic supervisor\'s children (in-process)', () => {
  let running: RunningTopology;
  beforeEach(() => {
    running = run(topology, { ports: { clock: new VirtualClock() } });
  });
  afterEach(() => running.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  const manager = () => running.ref('core/manager', Customers);

  it('starts a child from the template with its own config, which the child then answers with', async () => {
    assert.deepEqual(await manager().ask('open', { id: 'alice', config: { limit: 3 } }), { id: 'alice', address: 'core/customers/alice', state: 'running', restarts: 0 });
    assert.deepEqual(await running.ref('core/customers/alice', Customer).ask('limit', {}), 3);
    assert.deepEqual(await manager().ask('list', {}), [{ id: 'alice', address: 'core/customers/alice', state: 'running', restarts: 0 }]);
  });

  it('stops a child and removes it: the list forgets it, its address is free again', async () => {
    await manager().ask('open', { id: 'alice', config: { limit: 3 } });
    assert.deepEqual(await manager().ask('close', { id: 'alice' }), { id: 'alice', address: 'core/customers/alice', state: 'stopped', restarts: 0 });
    assert.deepEqual(await manager().ask('list', {}), []);
    assert.equal(await refusal(running.ref('core/customers/alice', Customer).ask('limit', {})), 'UNKNOWN_ADDRESS');
    assert.equal((await manager().ask('open', { id: 'alice', config: { limit: 4 } })).state, 'running');
  });

  it('refuses with typed errors: a taken id, a config the schema refuses, one child too many, no dynamic supervisor there', async () => {
    await manager().ask('open', { id: 'alice', config: { limit: 3 } });
    assert.equal(await refusal(manager().ask('open', { id: 'alice', config: { limit: 3 } })), 'DUPLICATE_CHILD');
    assert.equal(await refusal(manager().ask('open', { id: 'bob', config: { limit: -1 } })), 'INVALID_SPEC');
    assert.equal(await refusal(manager().ask('open', { id: 'bob' })), 'INVALID_SPEC'); // the schema requires a config
    assert.equal(await refusal(manager().ask('open', { id: 'no/such', config: { limit: 1 } })), 'INVALID_SPEC'); // an id is one segment
    await manager().ask('open', { id: 'bob', config: { limit: 1 } });
    assert.equal(await refusal(manager().ask('open', { id: 'carol', config: { limit: 1 } })), 'TOO_MANY_CHILDREN');
    assert.equal(await refusal(manager().ask('open', { id: 'x', config: { limit: 1 }, at: 'core' })), 'NOT_A_DYNAMIC_SUPERVISOR');
    assert.equal(await refusal(manager().ask('list', { at: 'core/ledger' })), 'NOT_A_DYNAMIC_SUPERVISOR');
    assert.equal(await refusal(manager().ask('list', { at: 'core/nothing' })), 'NOT_A_DYNAMIC_SUPERVISOR');
    assert.equal(await refusal(manager().ask('close', { id: 'dave' })), 'NOT_SUPERVISED');
    assert.deepEqual((await manager().ask('list', {})).map((c) => c.id), ['alice', 'bob']);
  });
});

describe('ctx.dynamicSupervisor(address) taken in setup, while run() is still starting the trees', () => {
  /** Takes its handle once, in setup: before run() provides the supervisors, and before node `core` (started after `edge`) exists. */
  const earlyManager = defineActor({
    protocol: Customers,
    setup(ctx) {
      const customers = ctx.dynamicSupervisor('core/customers');
      return {
        open: ({ id, config }) => ctx.replyLater(customers.start(id, { config })),
        close: ({ id }) => ctx.replyLater(customers.stop(id)),
        list: () => ctx.replyLater(customers.list()),
      };
    },
  });
  const early = defineTopology('early', {
    edge: supervisor({ children: [child('manager', earlyManager)] }),
    core: supervisor({ children: [child('customers', dynamicSupervisor({ child: customerWorker }))] }),
  });

  it('finds the supervisor when it is called, in-process (it used to refuse every call with UNKNOWN_ADDRESS)', async () => {
    const running = run(early, { ports: { clock: new VirtualClock() } });
    try {
      const manager = running.ref('edge/manager', Customers);
      assert.deepEqual(await manager.ask('open', { id: 'alice', config: { limit: 2 } }), { id: 'alice', address: 'core/customers/alice', state: 'running', restarts: 0 });
      assert.equal(await running.ref('core/customers/alice', Customer).ask('limit', {}), 2);
      assert.deepEqual((await manager.ask('list', {})).map((c) => c.id), ['alice']);
      assert.equal((await manager.ask('close', { id: 'alice' })).state, 'stopped');
    } finally {
      await running.stop();
    }
  });
});
