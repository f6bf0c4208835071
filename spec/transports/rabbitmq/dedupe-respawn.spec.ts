import assert from 'node:assert/strict';
import { filter, firstValueFrom } from 'rxjs';
import { child, defineActor, defineTopology, run, supervisor, type Envelope, type RunningTopology } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

/**
 * A child stopped and started again in the same process (a QueueConsumer under a BridgeManager
 * that crashed) opens its queue anew: the copy of a message it already handled, which a publisher's
 * retry or a lost ack leaves in the queue, must still be dropped by id.
 */
const WORKER = 'edge/parent/worker';

describe('RabbitMQ transport: dedupe across a child stopped and spawned again', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('respawn');
  const jobs: number[] = [];
  let nodeTransport: RabbitTransport;
  let senderTransport: RabbitTransport;
  let node: RunningTopology;

  before(async () => {
    await requireBroker();
    const worker = defineActor({ protocol: Work, setup: () => ({ job: ({ seq }) => void jobs.push(seq), crash: () => {}, echo: ({ text }) => ({ text, pid: process.pid }) }) });
    // The worker is the parent's child, as a QueueConsumer is its BridgeManager's: the parent's crash stops it.
    const parent = defineActor({
      protocol: Work,
      setup: (ctx) => {
        ctx.spawn('worker', worker);
        return {
          job: () => {},
          crash: () => {
            throw new Error('the parent crashes');
          },
          echo: ({ text }) => ({ text, pid: process.pid }),
        };
      },
    });
    nodeTransport = await connectRabbit({ url: BROKER_URL, namespace });
    node = run(defineTopology('respawn', { edge: supervisor({ children: [child('parent', parent)] }) }), { node: 'edge', transport: nodeTransport });
    await nodeTransport.ready();
    senderTransport = await connectRabbit({ url: BROKER_URL, namespace });
  });

  after(async () => {
    await node.stop();
    await senderTransport.close();
    await nodeTransport.close();
    await cleanup(namespace, ['edge/parent', WORKER]);
  });

  it('drops the second copy of a message handled before the child was stopped and spawned again', async () => {
    const job = (id: string, seq: number): Envelope => ({ id, to: WORKER, from: 'spec/sender', type: 'job', body: { seq }, attempt: 0 });
    const route = senderTransport.route(WORKER)!;
    await route.send(job('job-1-unique-id', 1));
    await waitFor('the first job', () => jobs.length === 1);

    const restarted = firstValueFrom(node.system.events.pipe(filter((event) => event.kind === 'restarted' && event.address === 'edge/parent')));
    await node.system.ref('edge/parent', Work).tell('crash', {});
    await restarted;
    // The same envelope again, as a publisher republishes one whose confirm it never saw.
    await route.send(job('job-1-unique-id', 1));
    await route.send(job('job-2-unique-id', 2));
    await waitFor('the job sent after the copy', () => jobs.includes(2));
    assert.deepEqual(jobs, [1, 2]);
  });
});
