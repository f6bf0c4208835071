import assert from 'node:assert/strict';
import { NodeRotation } from '../../../transports/rabbitmq/node-rotation.ts';
import { resolveOptions } from '../../../transports/rabbitmq/options.ts';
import { InvalidBrokerUrlsError } from '../../../transports/rabbitmq/errors.ts';

describe('RabbitMQ transport: rotating through the nodes of a cluster', () => {
  /** Each step: what happened, then the node to dial and the backoff retry number it was given. */
  const cases: { name: string; urls: string[]; steps: ('failed' | 'connected')[]; dialled: string[]; retries: number[] }[] = [
    { name: 'one node: every failure is a new round, so the backoff grows each time', urls: ['a'], steps: ['failed', 'failed', 'failed'], dialled: ['a', 'a', 'a'], retries: [0, 1, 2] },
    {
      name: 'three nodes: the next node after each failure, the backoff growing per round of the list',
      urls: ['a', 'b', 'c'],
      steps: ['failed', 'failed', 'failed', 'failed'],
      dialled: ['b', 'c', 'a', 'b'],
      retries: [0, 0, 0, 1],
    },
    {
      name: 'a connection starts a fresh round from the node after the one that was lost',
      urls: ['a', 'b', 'c'],
      steps: ['failed', 'failed', 'connected', 'failed'],
      dialled: ['b', 'c', 'c', 'a'],
      retries: [0, 0, -1, 0],
    },
  ];
  for (const { name, urls, steps, dialled, retries } of cases) {
    it(name, () => {
      const rotation = new NodeRotation(urls);
      assert.equal(rotation.url, urls[0], 'the first node first');
      const seen: string[] = [];
      const given: number[] = [];
      for (const step of steps) {
        if (step === 'failed') given.push(rotation.failed());
        else (rotation.connected(), given.push(-1));
        seen.push(rotation.url);
      }
      assert.deepEqual(seen, dialled);
      assert.deepEqual(given, retries);
    });
  }

  it('takes `url` or a non-empty `urls`, quorum queues by default only with more than one node', () => {
    assert.deepEqual(resolveOptions({ url: 'amqp://a' }).urls, ['amqp://a']);
    assert.equal(resolveOptions({ url: 'amqp://a' }).quorum, false);
    assert.equal(resolveOptions({ urls: ['amqp://a', 'amqp://b'] }).quorum, true);
    assert.equal(resolveOptions({ urls: ['amqp://a', 'amqp://b'], quorum: false }).quorum, false);
    assert.equal(resolveOptions({ urls: ['amqp://a'] }).quorumGroupSize, 3);
    for (const bad of [{}, { urls: [] }, { url: '' }, { url: 'amqp://a', urls: ['amqp://b'] }]) {
      assert.throws(() => resolveOptions(bad), InvalidBrokerUrlsError, JSON.stringify(bad));
    }
  });
});
