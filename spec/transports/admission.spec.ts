import assert from 'node:assert/strict';
import { Packr } from 'msgpackr';
import {
  AirlockError,
  DEFAULT_MAX_FRAME_BYTES,
  REPLY_PREFIX,
  child,
  createSystem,
  defineActor,
  encodeEnvelope,
  startTree,
  supervisor,
  type ActorSystem,
} from '../../internal.ts';
import { SimWorld } from '../../sim/index.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './rabbitmq/broker.ts';
import { waitFor } from './rabbitmq/children.ts';

const frame = (id: string, to: string, type: string, body: unknown) => encodeEnvelope({ id, to, type, body, attempt: 0 });

/** Hostile frames for `node/work`, each with the code every entry refuses it with; `admitted` gets through. */
const FRAMES: { what: string; bytes: Uint8Array; outcome: string }[] = [
  { what: 'bytes that are not msgpack', bytes: Buffer.from('definitely not msgpack \xff\x00', 'latin1'), outcome: 'MALFORMED_FRAME' },
  { what: 'msgpack that is not an envelope', bytes: new Packr({ useRecords: false }).pack({ not: 'an envelope' }), outcome: 'MALFORMED_FRAME' },
  { what: 'a type the protocol lacks', bytes: frame('f-launch', 'node/work', 'launch', { seq: 1 }), outcome: 'UNKNOWN_MESSAGE_TYPE' },
  { what: 'a body the protocol refuses', bytes: frame('f-body', 'node/work', 'job', { seq: 'one' }), outcome: 'INVALID_MESSAGE' },
  { what: 'a frame over the size bound', bytes: frame('f-big', 'node/work', 'job', { seq: 2, padding: 'x'.repeat(DEFAULT_MAX_FRAME_BYTES) }), outcome: 'OVERSIZED_MESSAGE' },
  { what: 'a frame addressed into reply space', bytes: frame('f-reply', `${REPLY_PREFIX}AAAAAAAAAAAAAAAAAAAA`, '$reply', { seq: 3 }), outcome: 'REPLY_ADDRESS' },
  { what: 'a good job', bytes: frame('f-good', 'node/work', 'job', { seq: 4 }), outcome: 'admitted' },
];

/** The worker every entry delivers to; records the jobs it handled. */
function worker(jobs: number[]) {
  return defineActor({ protocol: Work, setup: () => ({ job: ({ seq }) => void jobs.push(seq), crash: () => {}, echo: ({ text }) => ({ text, pid: 0 }) }) });
}

/** Each refusal's code, in order, as the system reports it; and `admitted` for each job handled. */
function outcomesOf(system: ActorSystem, jobs: number[]): () => string[] {
  const refused: string[] = [];
  system.on('rejected').subscribe((event) => refused.push((event.reason as AirlockError).code));
  return () => [...refused, ...jobs.map(() => 'admitted')];
}

const expected = FRAMES.map(({ outcome }) => outcome);

describe('admission: every entry refuses hostile frames alike (admitFrame)', function () {
  this.timeout(30_000);

  it('deliverFrame', async () => {
    const system = createSystem({ name: 'node' });
    const jobs: number[] = [];
    const outcomes = outcomesOf(system, jobs);
    system.spawn(worker(jobs), 'node/work');
    const settled: string[] = [];
    for (const { bytes } of FRAMES) {
      settled.push(await system.deliverFrame(bytes).then(() => 'admitted', (error: AirlockError) => error.code));
    }
    await waitFor('the good job', () => jobs.length === 1);
    assert.deepEqual(settled, expected);
    assert.deepEqual(outcomes(), expected);
    assert.deepEqual(jobs, [4]);
    await system.stop();
  });

  it('the RabbitMQ mailbox', async () => {
    await requireBroker();
    const namespace = uniqueNamespace('admission');
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const system = createSystem({ name: 'node', transport });
    const raw = await rawChannel();
    const jobs: number[] = [];
    try {
      const outcomes = outcomesOf(system, jobs);
      startTree(system, supervisor({ children: [child('work', worker(jobs))] }), 'node');
      await transport.ready();
      for (const { bytes } of FRAMES) {
        await new Promise<void>((resolve, reject) =>
          raw.channel.sendToQueue(transport.queueOf('node/work'), Buffer.from(bytes), { persistent: true }, (error) => (error ? reject(error) : resolve())),
        );
      }
      await waitFor('every frame to be admitted or refused', () => outcomes().length === FRAMES.length, 10_000);
      assert.deepEqual(outcomes(), expected);
      assert.deepEqual(jobs, [4]);
      assert.equal(transport.stats.refused, FRAMES.length - 1);
    } finally {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
      await raw.connection.close();
      await cleanup(namespace, ['node/work']);
    }
  });

  it('the simulated durable transport', async () => {
    const world = new SimWorld(3, { calmAt: 100, faults: { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } } });
    const jobs: number[] = [];
    let outcomes: () => string[] = () => [];
    world.addNode('node', (self) => {
      outcomes = outcomesOf(self.system, jobs);
      startTree(self.system, supervisor({ children: [child('work', worker(jobs))] }), 'node');
    });
    FRAMES.forEach(({ what, bytes }, n) => world.at(10 + n, () => assert.equal(world.broker.publish('node/work', { id: what, bytes, attempt: 0 }), 'confirmed')));
    await world.run();
    assert.deepEqual(outcomes(), expected);
    assert.deepEqual(jobs, [4]);
  });
});
