import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  AskTimeoutError,
  InvalidAddressError,
  InvalidMessageError,
  MAX_REPLY_ADDRESS_LENGTH,
  ReplyAddressError,
  child,
  defineActor,
  defineProtocol,
  encodeEnvelope,
  isReplyAddress,
  startTree,
  supervisor,
  type ActorSystem,
  type Envelope,
  type VirtualClock,
} from '../../internal.ts';
import { Counter, counter, recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

/** What an outsider can put in a frame: anything, including a `replyTo` naming a real actor. */
function frame(fields: Partial<Envelope>): Uint8Array {
  return encodeEnvelope({ id: 'hostile', to: 'app/front', type: 'get', body: {}, correlationId: 'hostile', attempt: 0, ...fields });
}

/** `reply-dropped` events as `<address> <code> <reply type>`. */
function recordDrops(system: ActorSystem): string[] {
  const drops: string[] = [];
  system.on('reply-dropped').subscribe(({ address, reason, envelope }) => {
    drops.push(`${address} ${(reason as { code?: string }).code} ${envelope.type}`);
  });
  return drops;
}

describe('replies reach only pending asks', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => {
    ({ system, clock } = testSystem());
    startTree(system, supervisor({ children: [child('front', counter), child('victim', counter)] }), 'app');
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it("never delivers the answer to a frame's replyTo naming an actor: the actor is untouched, the drop counted", async () => {
    const events = recordEvents(system);
    const drops = recordDrops(system);
    await system.deliverFrame(frame({ replyTo: 'app/victim' }));
    await assert.rejects(system.deliverFrame(frame({ type: 'add', body: { by: 'x' }, replyTo: 'app/victim' })), InvalidMessageError);
    await settleMany(10);

    assert.deepEqual(events, [], 'nothing failed, stopped or restarted');
    assert.deepEqual(drops, ['app/victim REPLY_ADDRESS $reply', 'app/victim REPLY_ADDRESS $error']);
    assert.equal(system.counters.droppedReplies, 2);
    const victim = system.lookup('app/victim')!.status();
    assert.deepEqual([victim.state, victim.handled, victim.failed, victim.restarts], ['running', 0, 0, 0]);
  });

  it('a burst of 50 such frames leaves the supervisor within its intensity', async () => {
    const events = recordEvents(system);
    for (let i = 0; i < 50; i++) {
      const hostile = i % 2 === 0 ? frame({ id: `h${i}`, replyTo: 'app/victim' }) : frame({ id: `h${i}`, type: 'nope', replyTo: 'app/victim' });
      await system.deliverFrame(hostile).catch(() => {});
    }
    await settleMany(10);
    await clock.advance(60_000);

    assert.deepEqual(events, []);
    assert.equal(system.counters.droppedReplies, 50);
    assert.deepEqual(
      system.status().map(({ address, state, restarts }) => [address, state, restarts]),
      [['app', 'running', 0]],
    );
    assert.equal(system.lookup('app/victim')!.status().restarts, 0);
    assert.equal(await system.ref('app/victim', Counter).ask('get', {}), 0, 'the victim still answers its own asks');
  });

  it('refuses a frame from outside addressed to a reply address, whatever it carries', async () => {
    const pending = system.ref('app/front', Counter).ask('get', {});
    for (const to of [system.replyAddress, '$replies/AAAAAAAAAAAAAAAAAAAA', '$replies/app/victim']) {
      await assert.rejects(system.deliverFrame(frame({ to, type: '$reply', body: 666 })), ReplyAddressError);
    }
    assert.equal(await pending, 0, 'the real reply still settles the pending ask');
    assert.deepEqual(system.counters, { rejected: 3, deadLettered: 3, droppedReplies: 0 });
  });

  it('keeps actors out of the reply space', () => {
    assert.throws(() => system.spawn(counter, system.replyAddress), InvalidAddressError);
    assert.throws(() => system.spawn(counter, '$replies/inbox'), InvalidAddressError);
  });

  it('drops and counts a reply that comes after its ask timed out', async () => {
    const Late = defineProtocol('late', { ask: { body: z.object({}), reply: z.number() }, release: { body: z.object({}) } });
    const late = defineActor({
      protocol: Late,
      setup(ctx) {
        const answers: ((value: number) => void)[] = [];
        return { ask: () => ctx.replyLater(new Promise<number>((resolve) => answers.push(resolve))), release: () => answers.forEach((answer) => answer(42)) };
      },
    });
    const drops = recordDrops(system);
    const ref = system.spawn(late, 'late');
    const timedOut = assert.rejects(ref.ask('ask', {}, { timeoutMs: 10 }), AskTimeoutError);
    await settleMany(2);
    await clock.advance(10);
    await timedOut;
    await ref.tell('release', {});
    await settleMany(5);

    assert.deepEqual(drops, [`${system.replyAddress} UNEXPECTED_REPLY $reply`]);
    assert.equal(system.counters.droppedReplies, 1);
  });

  it("issues reply addresses of one shape, well below AMQP's 255-byte names", () => {
    assert.ok(isReplyAddress(system.replyAddress));
    assert.ok(system.replyAddress.length <= MAX_REPLY_ADDRESS_LENGTH);
    assert.equal(MAX_REPLY_ADDRESS_LENGTH, 64);
    for (const address of ['app/victim', '$replies/', '$replies/short', '$replies/app/victim', `$replies/${'a'.repeat(300)}`, '$replies/AAAAAAAA AAAAAAAAAAAA']) {
      assert.equal(isReplyAddress(address), false, address);
    }
  });
});
