import assert from 'node:assert/strict';
import { z } from 'zod';
import { child, connectRabbit, createSystem, defineActor, defineProtocol, startTree, supervisor, type ActorSystem, type ChildStatus } from '../../internal.ts';
import { ChildStatusSchema } from '../../node/index.ts';
import { until } from '../support/fixtures.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';

const Bridge = defineProtocol('observer.bridge', { ping: { body: z.object({}), reply: z.string() } });
const bridge = defineActor({ protocol: Bridge, setup: () => ({ ping: () => 'pong' }) });

/**
 * What status (and so the observer) says of a standby child: its lease, and whether this node
 * holds it; of two nodes contending, exactly one is the holder. Over RabbitMQ, which elects.
 */
describe('the status of a standby child', function () {
  /** Two connections and a lease election on the shared broker: seconds, with room for a busy machine. */
  this.timeout(20_000);
  const namespace = uniqueNamespace('observer-standby');
  const systems: { system: ActorSystem; close: () => Promise<void> }[] = [];

  before(requireBroker);
  after(async () => {
    for (const { close } of systems) await close();
    await cleanup(namespace, ['app/bridge']);
  });

  async function node(name: string) {
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const system = createSystem({ name, transport });
    const root = startTree(system, supervisor({ children: [child('bridge', bridge, { standby: { lease: 'bridge' } })] }), 'app');
    systems.push({ system, close: async () => (await system.stop({ drainTimeoutMs: 0 }), await transport.close()) });
    return () => root.status().children![0];
  }

  it('names its lease and says which node holds it, and crosses the control protocol', async () => {
    const a = await node('a');
    await until(() => a().standby?.holder === true, 'a to hold the lease', { withinMs: 10_000, everyMs: 20 });
    const b = await node('b');
    // b contends and stands by: its status says so at once, whatever the election does next.
    const statuses: ChildStatus[] = [a(), b()];
    assert.deepEqual(statuses.map((status) => status.standby), [{ lease: 'bridge', holder: true }, { lease: 'bridge', holder: false }]);
    assert.deepEqual(ChildStatusSchema.parse(statuses[0]).standby, { lease: 'bridge', holder: true });
  });
});
