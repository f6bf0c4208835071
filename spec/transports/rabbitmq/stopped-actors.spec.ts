import assert from 'node:assert/strict';
import { ActorStoppedError, child, createSystem, defineActor, defineTopology, run, supervisor, type ActorSystem, type RunningTopology } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

describe('RabbitMQ transport: an actor its supervisor keeps down', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('parked');
  const jobs: number[] = [];
  const echoed: string[] = [];
  let nodeTransport: RabbitTransport;
  let operatorTransport: RabbitTransport;
  let node: RunningTopology;
  let operator: ActorSystem;

  before(async () => {
    await requireBroker();
    const worker = defineActor({
      protocol: Work,
      setup: () => ({ job: ({ seq }) => void jobs.push(seq), crash: () => {}, echo: ({ text }) => (echoed.push(text), { text, pid: process.pid }) }),
    });
    nodeTransport = await connectRabbit({ url: BROKER_URL, namespace });
    node = run(defineTopology('parked', { edge: supervisor({ children: [child('worker', worker)] }) }), { node: 'edge', transport: nodeTransport });
    await nodeTransport.ready();
    // Another connection, as another process: its system knows nothing of the worker's state.
    operatorTransport = await connectRabbit({ url: BROKER_URL, namespace });
    operator = createSystem({ name: 'operator', transport: operatorTransport });
  });

  after(async () => {
    await operator.stop({ drainTimeoutMs: 0 });
    await node.stop();
    await operatorTransport.close();
    await nodeTransport.close();
    await cleanup(namespace, ['edge/worker']);
  });

  it('fails an ask at once with ActorStoppedError while its node is up; a tell waits in its queue for startChild', async () => {
    const worker = operator.ref('edge/worker', Work);
    assert.equal((await worker.ask('echo', { text: 'up' })).text, 'up');
    await node.stopChild('edge/worker');

    // The type of the error tells the node's answer from the ask timeout, whatever the machine's speed.
    const error = await worker.ask('echo', { text: 'down?' }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof ActorStoppedError, String(error));
    assert.equal(error.address, 'edge/worker');

    await worker.tell('job', { seq: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(jobs, [], 'a tell to a stopped actor is not handled, nor lost');
    node.startChild('edge/worker');
    await waitFor('the tell sent while stopped', () => jobs.length === 1);
    assert.deepEqual(jobs, [1]);
    assert.equal((await worker.ask('echo', { text: 'back' })).text, 'back');
    assert.deepEqual(echoed, ['up', 'back'], 'the refused ask was not handled late');
  });
});
