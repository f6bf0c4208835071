import assert from 'node:assert/strict';
import { child, createSystem, decodeEnvelope, defineActor, encodeEnvelope, startTree, supervisor, type ActorSystem, type Envelope } from '../../../internal.ts';
import { connectRabbit, type RabbitEvent, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

const LOW_DIGITS = 36 * 36;

/**
 * What a peer on the broker would forge if ids were a tag plus a counter: the `count` ids after
 * `seen`, read as a 16-character tag followed by a base-36 counter.
 */
function successors(seen: string, count: number): string[] {
  const tag = seen.slice(0, 16);
  const counter = parseInt(seen.slice(16) || '0', 36);
  return Array.from({ length: count }, (_, k) => {
    const n = counter + 1 + k;
    return tag + Math.floor(n / LOW_DIGITS).toString(36) + (n % LOW_DIGITS).toString(36).padStart(2, '0');
  });
}

describe('RabbitMQ transport: replies and ids a broker peer cannot abuse', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('replies');
  let shopTransport: RabbitTransport;
  let tillTransport: RabbitTransport;
  let shop: ActorSystem;
  let till: ActorSystem;
  let raw: Awaited<ReturnType<typeof rawChannel>>;
  const jobs: number[] = [];
  const echoed: string[] = [];
  const connectionEvents: RabbitEvent['kind'][] = [];
  const drops: string[] = [];

  before(async () => {
    await requireBroker();
    shopTransport = await connectRabbit({ url: BROKER_URL, namespace });
    tillTransport = await connectRabbit({ url: BROKER_URL, namespace });
    shopTransport.events.subscribe((event) => connectionEvents.push(event.kind));
    shop = createSystem({ name: 'shop', transport: shopTransport });
    till = createSystem({ name: 'till', transport: tillTransport });
    for (const system of [shop, till]) {
      system.on('reply-dropped').subscribe(({ address, reason }) => drops.push(`${address.slice(0, 40)} ${(reason as { code?: string }).code}`));
    }
    const work = defineActor({
      protocol: Work,
      setup: () => ({ job: ({ seq }) => void jobs.push(seq), crash: () => {}, echo: ({ text }) => (echoed.push(text), { text, pid: process.pid }) }),
    });
    startTree(shop, supervisor({ children: [child('work', work)] }), 'node');
    await shopTransport.ready();
    raw = await rawChannel();
  });

  after(async () => {
    await shop.stop({ drainTimeoutMs: 100 });
    await till.stop({ drainTimeoutMs: 0 });
    await shopTransport.close();
    await tillTransport.close();
    await raw.connection.close();
    await cleanup(namespace, ['node/work', 'peer/inbox', ...Array.from({ length: 200 }, (_, n) => `junk-${n}`)]);
  });

  beforeEach(() => {
    jobs.length = 0;
    echoed.length = 0;
    drops.length = 0;
  });

  /** Publishes bytes to `address` as any client of the broker could, confirmed. */
  const publishRaw = (address: string, envelope: Envelope) =>
    new Promise<void>((resolve, reject) =>
      raw.channel.publish(namespace, address, Buffer.from(encodeEnvelope(envelope)), { persistent: true }, (error) => (error ? reject(error) : resolve())),
    );
  /** Waits until the actor answered the asks `texts`, and a moment more for the answers to go out. */
  async function answered(...texts: string[]): Promise<void> {
    await waitFor(`the actor to answer ${texts.length} asks`, () => texts.every((text) => echoed.includes(text)), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  /** An ask of `echo` whose answer goes wherever `replyTo` says. */
  const hostileAsk = (id: string, replyTo: string): Envelope => ({
    id,
    to: 'node/work',
    type: 'echo',
    body: { text: id },
    correlationId: id,
    replyTo,
    attempt: 0,
  });

  it('makes ids a peer cannot predict: forged messages under ids it derives from what it sees never drop real ones', async () => {
    // The peer sees what the till sends it: envelope ids, and the till's reply address.
    for (let seq = 0; seq < 5; seq++) await till.ref('peer/inbox', Work).tell('job', { seq });
    void till.ref('peer/inbox', Work).ask('echo', { text: 'who are you' }, { timeoutMs: 500 }).catch(() => {});
    const seen: Envelope[] = [];
    while (seen.length < 6) {
      const message = await raw.channel.get(tillTransport.queueOf('peer/inbox'), { noAck: true });
      if (message) seen.push(decodeEnvelope(message.content));
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const replyAddress = seen[5].replyTo!;
    assert.equal(replyAddress, till.replyAddress);
    const forged = [...new Set([...successors(seen[5].id, 1_500), ...successors(replyAddress.slice(-19), 1_500)])];
    await Promise.all(forged.map((id, k) => publishRaw('node/work', { id, to: 'node/work', type: 'job', body: { seq: 100_000 + k }, attempt: 0 })));
    await waitFor('the forged messages to be handled', () => jobs.length === forged.length);

    await Promise.all(Array.from({ length: 1_000 }, (_, seq) => till.ref('node/work', Work).tell('job', { seq })));
    await waitFor('every real, confirmed tell to be handled', () => jobs.length === forged.length + 1_000, 20_000);
    assert.deepEqual(
      jobs.filter((seq) => seq < 100_000),
      Array.from({ length: 1_000 }, (_, seq) => seq),
    );
    assert.equal(shopTransport.stats.duplicates, 0);
    assert.ok(seen.every(({ id }) => !replyAddress.includes(id.slice(0, 8))), 'the reply address shows nothing of the ids');
  });

  it('drops the answer to a 300-character replyTo without touching the connection; asks still work', async () => {
    await publishRaw('node/work', hostileAsk('long', 'x'.repeat(300)));
    await answered('long');
    assert.deepEqual(await till.ref('node/work', Work).ask('echo', { text: 'still here' }), { text: 'still here', pid: process.pid });
    assert.deepEqual(connectionEvents, [], 'no disconnect, no channel error, no reconnect');
    assert.deepEqual(drops, [`${'x'.repeat(40)} REPLY_ADDRESS`]);
  });

  it('never declares a queue for a replyTo taken from a message', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, n) => publishRaw('node/work', hostileAsk(`junk${n}`, `junk-${n}`))));
    await answered(...Array.from({ length: 200 }, (_, n) => `junk${n}`));
    // checkQueue of a missing queue closes its channel (404), hence one channel per queue.
    const exists = async (queue: string) => {
      const channel = await raw.connection.createChannel();
      channel.on('error', () => {});
      return channel.checkQueue(queue).then(
        () => channel.close().then(() => true),
        () => false,
      );
    };
    const junk = Array.from({ length: 200 }, (_, n) => `junk-${n}`);
    const found = await Promise.all(junk.map((address) => exists(`${namespace}:${address}`)));
    assert.deepEqual(junk.filter((_, n) => found[n]), []);
    assert.equal(await exists(shopTransport.queueOf('node/work')), true, 'the check does find a queue that exists');
    assert.equal(drops.length, 200);
    assert.ok(drops.every((drop) => drop.endsWith(' REPLY_ADDRESS')));
  });

  it('publishes nothing for a $replies/ address over the length bound, so nothing stays pending', async () => {
    const address = `$replies/${'a'.repeat(300)}`;
    await publishRaw('node/work', hostileAsk('long-reply', address));
    await answered('long-reply');
    assert.equal(shopTransport.unconfirmed, 0);
    assert.deepEqual(connectionEvents, []);
    assert.deepEqual(drops, [`${address.slice(0, 40)} REPLY_ADDRESS`]);
  });

  it('keeps nothing per replyTo a message names: answers to 200 unheard reply addresses leave the transport as it was', async () => {
    const routes = (shopTransport as unknown as { routes: Map<string, unknown> }).routes;
    const before = routes.size;
    const unheard = Array.from({ length: 200 }, (_, n) => `$replies/unheard-${String(n).padStart(8, '0')}`);
    await Promise.all(unheard.map((replyTo, n) => publishRaw('node/work', hostileAsk(`unheard${n}`, replyTo))));
    await answered(...unheard.map((_, n) => `unheard${n}`));
    await waitFor('the 200 answers to be dropped', () => drops.length === 200, 10_000);
    assert.ok(drops.every((drop) => drop.endsWith(' UNKNOWN_ADDRESS')), drops[0]);
    assert.equal(routes.size, before);
  });

  it("counts a forged reply on a node's reply queue and settles nothing with it", async () => {
    const asked = till.ref('node/work', Work).ask('echo', { text: 'real' });
    await publishRaw(till.replyAddress, { id: 'forged', to: till.replyAddress, type: '$reply', body: { text: 'forged', pid: 0 }, correlationId: 'guess', attempt: 0 });
    await waitFor('the forged reply to be dropped', () => drops.length === 1, 10_000);
    assert.deepEqual(drops, [`${till.replyAddress.slice(0, 40)} UNEXPECTED_REPLY`]);
    assert.deepEqual(await asked, { text: 'real', pid: process.pid });
  });
});
